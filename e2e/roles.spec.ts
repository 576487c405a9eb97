import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN_TOKEN } from './fixtures';
import { catalog, shot, signIn } from './helpers';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const unique = (name: string) => `${name}-${randomBytes(3).toString('hex')}`;

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL('/login');
}

async function signInAs(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password or token').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Every file of the build (server, client, cache): none may hold a secret or its hash. */
function builtFiles(dir = path.join(process.cwd(), '.next')): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[])
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

test.beforeEach(() => catalog('reset'));

test('an admin creates a viewer; the viewer changes the initial password, sees history, and has no invalidate buttons', async ({ page }) => {
  const username = unique('vera');
  await signIn(page, '/accounts');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Role').selectOption('viewer');
  await page.getByRole('button', { name: 'Create account' }).click();
  const initial = (await page.getByLabel(`Initial password of ${username}`).textContent()) ?? '';
  expect(initial.length).toBeGreaterThanOrEqual(20);
  await expect(page.getByRole('row', { name: new RegExp(username) })).toContainText('initial password');
  await signOut(page);

  await signInAs(page, username, initial);
  await expect(page).toHaveURL(/\/account\/password/);
  await page.getByLabel('Current password').fill(initial);
  await page.getByLabel('New password (at least 12 characters)').fill('viewer-password-e2e-1');
  await page.getByLabel('New password again').fill('viewer-password-e2e-1');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page).toHaveURL('/');

  await expect(page.getByLabel('Signed in as')).toHaveText(`${username} · viewer`);
  await expect(page.getByRole('row', { name: /groq/ }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: /^Invalidate/ })).toHaveCount(0);
  await expect(page.getByRole('checkbox')).toHaveCount(0);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link')).toHaveText(['Providers', 'Catalog', 'Changes', 'Policy', 'History']); // the catalog, its changes and the policy are reads; schedules are an admin's
  await expect(nav.getByRole('button', { name: 'Access' })).toHaveCount(0); // accounts, tokens and audit are an admin's
  await shot(page, 'viewer-providers');

  await nav.getByRole('link', { name: 'History' }).click();
  await expect(page.getByRole('heading', { name: 'History', level: 1 })).toBeVisible();
  await expect(page.getByRole('table')).toBeVisible();

  // The API refuses the viewer too, whatever the page shows; and an admin page says which role it needs.
  const refused = await page.request.post('/api/trpc/invalidation.start', { data: { providers: ['groq'] }, headers: { origin: new URL(page.url()).origin } });
  expect(refused.status()).toBe(403);
  await page.goto('/audit');
  await expect(page).toHaveURL('/audit');
  await expect(page.getByRole('heading', { name: 'You need the admin role', level: 1 })).toBeVisible();
  await expect(page.getByRole('main')).toContainText(`You are signed in as ${username}, a viewer.`);
});

test('an admin creates a token, uses it, revokes it, and sees both in the audit page; nothing secret is in the build', async ({ page, request }) => {
  const name = unique('deploy');
  await signIn(page, '/tokens');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Role').selectOption('admin');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByLabel(`Token ${name}`).textContent()) ?? '';
  expect(token).toMatch(/^cit_/);
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('active');
  await expect(row).not.toContainText(token);

  const asScript = () => request.get('/api/trpc/providers.list', { headers: { authorization: `Bearer ${token}` } });
  expect((await asScript()).status()).toBe(200);
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await expect(row).toContainText('revoked');
  expect((await asScript()).status()).toBe(401);

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Access' }).click();
  await nav.getByRole('link', { name: 'Audit' }).click();
  await page.getByLabel('Filter by actor').fill('admin (bootstrap)');
  for (const action of ['token.create', 'token.revoke']) {
    await page.getByLabel('Filter by action').selectOption(action);
    await expect(page.getByRole('row', { name: new RegExp(`${action}.*${name}`) })).toBeVisible();
  }
  await expect(page.getByRole('link', { name: 'Export JSON lines' })).toHaveAttribute('href', /\/api\/admin\/audit\?actor=admin.*&action=token.revoke/);
  await shot(page, 'audit');

  const session = (await page.context().cookies()).find((c) => c.name === 'catalog_admin_session')?.value ?? '';
  expect(session).not.toBe('');
  const secrets = [ADMIN_TOKEN, token, session].flatMap((s) => [s, sha256(s)]);
  const leaks: string[] = [];
  for (const file of builtFiles()) {
    const text = readFileSync(file).toString('latin1');
    for (const secret of secrets) if (text.includes(secret)) leaks.push(`${path.relative(process.cwd(), file)} holds ${secret.slice(0, 6)}…`);
  }
  expect(leaks).toEqual([]);
});

test('after a few failed sign-ins the login page says how long to wait', async ({ page }) => {
  // A client address of its own, so this test's failures throttle nobody else's sign-ins.
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': `198.51.100.${Math.floor(Math.random() * 200) + 1}` });
  const username = unique('ghost');
  await page.goto('/login');
  for (let i = 0; i < 5; i++) {
    await signInAs(page, username, `wrong-password-${i}`);
    await expect(page).toHaveURL(/error=invalid/);
  }
  await signInAs(page, username, 'wrong-password-again');
  await expect(page).toHaveURL(/error=throttled/);
  await expect(page.getByRole('alert').filter({ hasText: /Too many failed sign-ins\. Wait \d+ (seconds|minutes) before trying again\./ })).toBeVisible();
});

test('a state-changing request carrying the session cookie from another origin is refused', async ({ page }) => {
  await signIn(page);
  const evil = { origin: 'https://evil.example' };
  expect((await page.request.post('/api/auth/logout', { headers: evil })).status()).toBe(403);
  expect((await page.request.post('/api/trpc/invalidation.start', { data: { providers: ['groq'] }, headers: evil })).status()).toBe(403);
  expect((await page.request.post('/api/admin/invalidate-cache?providers=groq', { headers: evil })).status()).toBe(403);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Invalidate groq' })).toBeVisible(); // still signed in
});

test('"Sign out everywhere" ends the sessions of every browser at once', async ({ page, browser }) => {
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage);
  await signIn(page);
  await expect(page.getByRole('button', { name: 'Invalidate groq' })).toBeVisible(); // hydrated: the button asks first
  // It asks first; Cancel keeps everyone signed in.
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  const ask = page.getByRole('group', { name: 'Sign out everywhere?' });
  await expect(ask).toContainText('End every session, on every device?');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toBeHidden();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Invalidate groq' })).toBeVisible(); // still signed in
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await page.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
  await expect(page).toHaveURL('/login');
  await otherPage.goto('/history');
  await expect(otherPage).toHaveURL(/\/login\?next=%2Fhistory$/);
  await other.close();
  await signIn(page); // and signing in again works
});
