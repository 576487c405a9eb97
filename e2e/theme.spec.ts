/** Dark mode (issue 24): the system's setting by default, and a header toggle that is remembered. */
import { expect, test, type Page } from '@playwright/test';
import { catalog, providerRow, shot, signIn } from './helpers';

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const DARK = 'rgb(15, 18, 24)';
const LIGHT = 'rgb(247, 248, 250)';

test.beforeEach(async ({ page }) => {
  await catalog('reset');
  await signIn(page);
  await expect(providerRow(page, 'groq')).toContainText('Cached');
});

test('follows the system: dark when it prefers dark, light otherwise', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await background(page)).toBe(DARK);
  await shot(page, 'providers-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await background(page)).toBe(LIGHT);
});

test('the toggle chooses dark, light or the system again, and a reload remembers it', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  const toggle = page.getByRole('banner').getByRole('button', { name: /^Theme: / });
  await expect(toggle).toHaveAccessibleName('Theme: System');
  await toggle.click();
  await expect(toggle).toHaveAccessibleName('Theme: Dark');
  expect(await background(page)).toBe(DARK);

  await page.reload();
  await expect(toggle).toHaveAccessibleName('Theme: Dark');
  expect(await background(page)).toBe(DARK); // from the first paint: the server put it on <html>

  await toggle.click();
  await expect(toggle).toHaveAccessibleName('Theme: Light');
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await background(page)).toBe(LIGHT); // a choice wins over the system's

  await toggle.click();
  await expect(toggle).toHaveAccessibleName('Theme: System');
  expect(await background(page)).toBe(DARK);
  await page.reload();
  await expect(toggle).toHaveAccessibleName('Theme: System');
});
