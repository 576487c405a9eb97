/**
 * A viewer is not lost (issue 24): a named token signs in at the form as itself; the panel says it
 * is read-only, shows no password link or "sign out everywhere" for a token, no empty checkbox or
 * action columns; an admin page says which role it needs and who is looking; revoking the token
 * ends the session.
 */
import { randomBytes } from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { ADMIN_TOKEN } from './fixtures';
import { catalog, shot } from './helpers';

async function makeToken(request: APIRequestContext, role: 'viewer' | 'operator'): Promise<{ id: string; token: string; name: string }> {
  const name = `wall-${randomBytes(3).toString('hex')}`;
  const res = await request.post('/api/trpc/tokens.create', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, data: { name, role } });
  expect(res.status()).toBe(200);
  const { id, token } = ((await res.json()) as { result: { data: { id: string; token: string } } }).result.data;
  return { id, token, name };
}

test.beforeEach(() => catalog('reset'));

test('a viewer token signs in at the form, sees a read-only panel, and is told which role an admin page needs', async ({ page, request }) => {
  const { id, token, name } = await makeToken(request, 'viewer');
  await page.goto('/login');
  await expect(page.getByLabel('Password or token')).toBeVisible();
  await page.getByLabel('Password or token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL('/');

  await expect(page.getByLabel('Signed in as')).toHaveText(`${name} · viewer`);
  await expect(page.getByText('Read-only', { exact: true })).toBeVisible();
  await expect(page.getByText(/^Read-only: a viewer sees every cache and job/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Password' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign out everywhere' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  // Rows, and no checkbox gutter or empty action column.
  const table = page.getByRole('table', { name: 'Providers and the state of their catalog cache' });
  await expect(table.getByRole('row', { name: /\bgroq\b/ }).first()).toBeVisible();
  await expect(table.getByRole('checkbox')).toHaveCount(0);
  await expect(table.getByRole('columnheader', { name: 'Actions' })).toHaveCount(0);
  // The sortable headers read "Sort by Provider" to a screen reader: their visible words are what count here.
  await expect(table.getByRole('columnheader')).toHaveText([/Provider/, 'Cache', /Keys/, /Models/, /TTL left/, /Cached/]);
  await shot(page, 'viewer-token-providers');

  // An admin page: no silent redirect, the role it needs and who is looking.
  await page.goto('/tokens');
  await expect(page).toHaveURL('/tokens');
  await expect(page.getByRole('heading', { name: 'You need the admin role', level: 1 })).toBeVisible();
  await expect(page.getByRole('main')).toContainText(`You are signed in as ${name}, a viewer (with an API token).`);
  await expect(page.getByRole('main').getByRole('link', { name: 'Back to the providers' })).toBeVisible();
  await shot(page, 'viewer-needs-admin');

  // Revoked, the token's session ends at its next page.
  const revoked = await request.post('/api/trpc/tokens.revoke', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, data: { id } });
  expect(revoked.status()).toBe(200);
  await expect
    .poll(async () => {
      await page.goto('/history');
      return new URL(page.url()).pathname;
    })
    .toBe('/login');
});

test('an operator token signs in with its own role: invalidate buttons, and still no password link', async ({ page, request }) => {
  const { token, name } = await makeToken(request, 'operator');
  await page.goto('/login');
  await page.getByLabel('Password or token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByLabel('Signed in as')).toHaveText(`${name} · operator`);
  await expect(page.getByRole('button', { name: 'Invalidate groq', exact: true })).toBeVisible();
  await expect(page.getByText('Read-only', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Password' })).toHaveCount(0);
});

test('a wrong token is refused in the same words as a wrong password', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Password or token').fill(`cit_0123456789abcdef_${'A'.repeat(43)}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').first()).toHaveText('That username and password (or token) are not valid.');
});
