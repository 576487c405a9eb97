import { expect, test } from '@playwright/test';
import { ADMIN_TOKEN } from './fixtures';
import { confirmDialog, signIn } from './helpers';

test.describe('signing in', () => {
  test('a visit without a session goes to the login page', async ({ page }) => {
    await page.goto('/history');
    await expect(page).toHaveURL(/\/login\?next=%2Fhistory$/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });

  test('a wrong token is refused in words', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Password or token').fill('not-the-token-not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/error=invalid/);
    // Next's route announcer is an (empty) alert too: pick ours by its text.
    // The same words whether or not an account exists: nothing to learn from them.
    await expect(page.getByRole('alert').filter({ hasText: 'That username and password (or token) are not valid.' })).toBeVisible();
    await expect(page.getByLabel('Password or token')).toHaveAttribute('aria-invalid', 'true');
    await page.screenshot({ path: 'e2e-results/screenshots/login-invalid.png', fullPage: true });
  });

  test('the right token signs in, and back to the page asked for; sign out ends the session', async ({ page }) => {
    await page.goto('/history');
    await page.getByLabel('Password or token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL('/history');
    await expect(page.getByRole('heading', { name: 'History', level: 1 })).toBeVisible();

    await page.getByRole('link', { name: 'Providers' }).click();
    await expect(page.getByRole('heading', { name: 'Providers', level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Invalidate groq' })).toBeVisible();

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page).toHaveURL('/login');
    await page.goto('/');
    await expect(page).toHaveURL(/\/login\?next=%2F$/);
  });

  test('an API call without a session is 401, with one it answers', async ({ page, request }) => {
    // The `request` fixture has its own cookie jar: nothing from the browser's session.
    const res = await request.get('/api/trpc/providers.list');
    expect(res.status()).toBe(401);
    expect(JSON.stringify(await res.json())).toContain('UNAUTHORIZED');

    await signIn(page);
    const ok = await page.request.get('/api/trpc/providers.list');
    expect(ok.status()).toBe(200);
  });

  test('no other site may frame the panel, scripts need this response\'s nonce, and no secret reaches the browser', async ({ page, request }) => {
    const res = await request.get('/login');
    const headers = res.headers();
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
    const csp = headers['content-security-policy'] ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(/script-src[^;]*'unsafe-inline'/.test(csp)).toBe(false);
    // A fresh nonce per response, and it is the one on the page's scripts.
    expect((await request.get('/login')).headers()['content-security-policy']).not.toContain(`nonce-${nonce}`);
    expect(await res.text()).toContain(`nonce="${nonce}"`);
    // A 404 is rendered per request too, so its scripts carry its own nonce.
    const missing = await request.get('/no-such-page');
    expect(missing.status()).toBe(404);
    const missingNonce = /'nonce-([^']+)'/.exec(missing.headers()['content-security-policy'] ?? '')?.[1];
    expect(await missing.text()).toContain(`nonce="${missingNonce}"`);

    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await signIn(page);
    await expect(page.getByRole('button', { name: 'Invalidate groq' })).toBeVisible(); // hydrated: the scripts ran
    expect(violations).toEqual([]);
    // Every script the signed-in page loads: none carries the admin token.
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src).filter(Boolean));
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) expect(await (await request.get(src)).text()).not.toContain(ADMIN_TOKEN);
    expect(await page.content()).not.toContain(ADMIN_TOKEN);
  });

  test('an ended session says so in words, with a way back', async ({ page, context }) => {
    await signIn(page);
    await expect(page.getByRole('button', { name: 'Invalidate groq' })).toBeVisible();
    await context.clearCookies();
    await page.getByRole('button', { name: 'Invalidate groq' }).click();
    await confirmDialog(page, 'Invalidate groq', { waitForPreview: false });
    await expect(page.getByRole('region', { name: 'Jobs' }).getByRole('alert')).toContainText('Your session has ended — sign in again');
  });
});
