/**
 * Single sign-on in a real browser against a real identity provider: oidc-provider on loopback,
 * started by scripts/e2e-server.ts before the app (tests/support/oidc-idp.ts has its people: ada an
 * admin, otto an operator, vera a viewer, nobody in no group). Each test clicks "Sign in with …",
 * signs in at the provider's own login and consent pages, and lands in the panel with the role its
 * groups give; a person in no group is refused in words; an account an admin disables is refused at
 * its next request. A fresh browser context per test: no session at the provider carries over.
 */
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { OIDC_NAME } from './fixtures';
import { catalog, invalidateProvider, signIn } from './helpers';

test.beforeEach(async ({ context }) => {
  await catalog('reset');
  // The provider's development pages import a web font from the internet: nothing leaves loopback.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort());
});

/** From the login page, through the identity provider's own pages, back to the panel (or the login page, refused). */
async function signInWithIdp(page: Page, login: string, next = '/'): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByRole('link', { name: `Sign in with ${OIDC_NAME}` }).click();
  await expect(page).not.toHaveURL(/127\.0\.0\.1:3217/); // at the provider, not the app
  await page.getByPlaceholder('Enter any login').fill(login);
  await page.getByPlaceholder('and password').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click(); // the provider's consent page
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

test('an admin in the admins group signs in at the identity provider and sees the admin controls', async ({ page }) => {
  await signInWithIdp(page, 'ada', '/history');
  await expect(page).toHaveURL('/history');
  await expect(page.getByLabel('Signed in as')).toHaveText('ada@example.test · admin');
  await nav(page).getByRole('button', { name: 'Access' }).click();
  await nav(page).getByRole('link', { name: 'Accounts' }).click();
  // The admin's own SSO account is listed, marked as such.
  await expect(page.getByRole('row', { name: /ada@example\.test/ })).toContainText('single sign-on');
});

test('an operator invalidates, and is offered no account, token or schedule management', async ({ page }) => {
  await signInWithIdp(page, 'otto');
  await expect(page).toHaveURL('/');
  await expect(page.getByLabel('Signed in as')).toHaveText('otto@example.test · operator');
  await invalidateProvider(page, 'groq');
  await expect(nav(page).getByRole('button', { name: 'Access' })).toHaveCount(0);
  await expect(nav(page).getByRole('link', { name: 'Schedules' })).toHaveCount(0);
  for (const adminPage of ['/accounts', '/tokens', '/audit']) {
    await page.goto(adminPage);
    await expect(page.getByRole('heading', { name: 'You need the admin role', level: 1 })).toBeVisible();
  }
});

test('a viewer reads and is offered nothing that changes state', async ({ page }) => {
  await signInWithIdp(page, 'vera');
  await expect(page).toHaveURL('/');
  await expect(page.getByLabel('Signed in as')).toHaveText('vera@example.test · viewer');
  await expect(page.getByRole('row', { name: /groq/ }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: /^Invalidate/ })).toHaveCount(0);
  await expect(page.getByRole('checkbox')).toHaveCount(0);
  await expect(nav(page).getByRole('button', { name: 'Access' })).toHaveCount(0);
});

test('a person in none of the groups is refused in words, and nobody is signed in', async ({ page }) => {
  await signInWithIdp(page, 'nobody');
  await expect(page).toHaveURL(/\/login\?error=sso-no-role$/);
  await expect(page.getByRole('alert').filter({ hasText: /none of the groups that may use this panel/ })).toBeVisible();
  await page.goto('/history');
  await expect(page).toHaveURL(/\/login\?next=%2Fhistory$/);
});

test('an admin disables an SSO account on the Accounts page: its open session is refused at its next request, and so is its next sign-in', async ({ page, browser }) => {
  const login = `vera+${randomBytes(3).toString('hex')}`; // a subject of its own, in vera's groups
  await signInWithIdp(page, login);
  await expect(page.getByLabel('Signed in as')).toHaveText(`${login}@example.test · viewer`);

  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  await signIn(adminPage, '/accounts');
  const row = adminPage.getByRole('row', { name: new RegExp(`${login.replace('+', '\\+')}@example\\.test`) });
  await expect(row).toContainText('single sign-on');
  await row.getByRole('button', { name: `Disable ${login}@example.test` }).click();
  await expect(row.getByRole('button', { name: `Enable ${login}@example.test` })).toBeVisible();
  await admin.close();

  await page.goto('/history');
  await expect(page).toHaveURL(/\/login\?next=%2Fhistory$/);
  // Signing in again at the provider (whose own session is still open) is refused here, in words.
  await page.getByRole('link', { name: `Sign in with ${OIDC_NAME}` }).click();
  await expect(page).toHaveURL(/\/login\?error=sso-disabled$/);
  await expect(page.getByRole('alert').filter({ hasText: 'Your single sign-on account is disabled here' })).toBeVisible();
});
