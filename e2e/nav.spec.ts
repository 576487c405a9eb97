import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test.beforeEach(async ({ page }) => {
  await signIn(page);
  // "Live" comes from the activity stream: the page has hydrated, so the Access button answers.
  await expect(page.getByRole('banner')).toContainText('Live');
});

test('an admin\'s header is one line at 1280 px: Accounts, Tokens and Audit sit behind Access', async ({ page }) => {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link')).toHaveText(['Providers', 'Catalog', 'Changes', 'Policy', 'Schedules', 'History']);
  const access = nav.getByRole('button', { name: 'Access' });
  await expect(access).toHaveAttribute('aria-expanded', 'false');

  // One line: the header's items are centred on one row (the header did not wrap), and so are the
  // nav's entries (the nav did not wrap inside itself, as it did with nine entries).
  const centres = (selector: string) =>
    page.locator(selector).evaluateAll((els) => els.map((el) => { const r = el.getBoundingClientRect(); return r.top + r.height / 2; }));
  // Polled: right after hydration the header's client parts (live state, theme) may still be settling.
  for (const selector of ['.app-header-inner > *', 'nav[aria-label="Main"] > a, nav[aria-label="Main"] button']) {
    expect((await centres(selector)).length).toBeGreaterThan(4);
    await expect.poll(async () => { const ys = await centres(selector); return Math.max(...ys) - Math.min(...ys); }).toBeLessThan(4);
  }

  await access.click();
  await expect(access).toHaveAttribute('aria-expanded', 'true');
  await expect(nav.getByRole('link')).toHaveText(['Providers', 'Catalog', 'Changes', 'Policy', 'Schedules', 'History', 'Accounts', 'Tokens', 'Audit']);
  await nav.getByRole('link', { name: 'Tokens' }).click();
  await expect(page).toHaveURL('/tokens');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tokens', includeHidden: true })).toHaveAttribute('aria-current', 'page');
});

test('Access works from the keyboard: Enter opens, Tab reaches the links, Escape closes and returns focus', async ({ page }) => {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const access = nav.getByRole('button', { name: 'Access' });
  await access.focus();
  await page.keyboard.press('Enter');
  await expect(access).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link', { name: 'Accounts' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(access).toHaveAttribute('aria-expanded', 'false');
  await expect(access).toBeFocused();
  await expect(nav.getByRole('link', { name: 'Accounts' })).toBeHidden();

  // Tabbing past the last link closes it too.
  await page.keyboard.press('Space');
  await expect(access).toHaveAttribute('aria-expanded', 'true');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  await expect(access).toHaveAttribute('aria-expanded', 'false');
});
