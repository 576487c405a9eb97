import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import type { SourceBehaviour } from '../scripts/lib/model-source';
import { ADMIN_TOKEN, APP_ENVIRONMENT, CONTROL_URL } from './fixtures';

type Action = 'pause' | 'resume' | 'stop' | 'start' | 'reseed' | 'reset';

/** Drives the catalog Redis through scripts/e2e-server.ts's control API. */
export async function catalog(action: Action): Promise<void> {
  const res = await fetch(`${CONTROL_URL}/catalog/${action}`, { method: 'POST' });
  if (!res.ok) throw new Error(`control ${action}: ${res.status} ${await res.text()}`);
}

/** Sets what the e2e server's loopback model source answers for `provider`. */
export async function sourceAnswers(provider: string, behaviour: SourceBehaviour): Promise<void> {
  const res = await fetch(`${CONTROL_URL}/source/${provider}`, { method: 'POST', body: JSON.stringify(behaviour) });
  if (!res.ok) throw new Error(`control source ${provider}: ${res.status} ${await res.text()}`);
}

/** Answers the source requests held by `sourceAnswers(provider, { hold: true })`, and stops holding. */
export async function releaseSource(provider: string): Promise<void> {
  const res = await fetch(`${CONTROL_URL}/source/${provider}/release`, { method: 'POST' });
  if (!res.ok) throw new Error(`control release ${provider}: ${res.status} ${await res.text()}`);
}

/** Signs in through the real form and lands on `next`. */
export async function signIn(page: Page, next = '/'): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Password or token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(next);
}

export function jobsRegion(page: Page): Locator {
  return page.getByRole('region', { name: 'Jobs' });
}

/** The newest job panel whose title is `title` (e.g. "groq", "All providers"). */
export function jobPanel(page: Page, title: string): Locator {
  return jobsRegion(page).getByRole('article', { name: title, exact: true }).first();
}

/** Waits for the panel to have a job id (the server answered) and returns it. */
export async function jobIdOf(panel: Locator): Promise<string> {
  const link = panel.getByRole('link', { name: /^Details of job / });
  await expect(link).toBeVisible();
  const href = (await link.getAttribute('href')) ?? '';
  const id = href.split('/').pop() ?? '';
  expect(id).toMatch(/^[0-9a-z]{9}[0-9a-f]{10}$/);
  return id;
}

export function providerRow(page: Page, name: string): Locator {
  return page.getByRole('row', { name: new RegExp(`\\bSelect ${name}\\b`) });
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `e2e-results/screenshots/${name}.png`, fullPage: true });
}

/** Invalidates one provider from its row and waits for the job to complete; returns the job id. */
export async function invalidateProvider(page: Page, name: string): Promise<string> {
  await page.getByRole('button', { name: `Invalidate ${name}`, exact: true }).click();
  await confirmDialog(page, `Invalidate ${name}`);
  const panel = jobPanel(page, name);
  await expect(panel.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(panel).toContainText('Completed');
  return jobIdOf(panel);
}

/** Confirms the invalidation dialog titled `title`, by default once its preview has loaded (it cannot while Redis is down). */
export async function confirmDialog(page: Page, title: string, { waitForPreview = true } = {}): Promise<void> {
  const dialog = page.getByRole('dialog', { name: title });
  await expect(dialog).toBeVisible();
  if (waitForPreview) await expect(dialog.getByRole('region', { name: 'Preview' })).toBeVisible();
  await dialog.getByRole('button', { name: /^Confirm invalidate/ }).click();
  await expect(dialog).toBeHidden();
}

/** In production (the e2e server's APP_ENVIRONMENT), "Invalidate all" is confirmed by typing the environment's name. */
export async function typeEnvironment(dialog: Locator): Promise<void> {
  await dialog.getByRole('textbox', { name: `Type ${APP_ENVIRONMENT} to confirm` }).fill(APP_ENVIRONMENT);
}

/**
 * For specs that pause or stop the catalog Redis: each test starts signed in over a freshly reset
 * catalog, and the catalog is reset after it too, so a test that fails mid-outage leaves none behind.
 */
export function signedInOverAResetCatalog(): void {
  test.beforeEach(async ({ page }) => {
    await catalog('reset');
    await signIn(page);
    await expect(providerRow(page, 'groq')).toContainText('Cached');
  });
  test.afterEach(async () => {
    await catalog('reset');
  });
}

/**
 * A new viewer account, made by the signed-in admin through the API, signed in on a page (a context)
 * of its own with its initial password changed. `name` prefixes the username (unique per call).
 */
export async function newViewerPage(admin: Page, browser: Browser, name: string): Promise<Page> {
  const origin = new URL(admin.url()).origin;
  const created = await admin.request.post('/api/trpc/accounts.create', { data: { username: `${name}-${Date.now().toString(36)}`, role: 'viewer' }, headers: { origin } });
  expect(created.ok()).toBe(true);
  const { result } = (await created.json()) as { result: { data: { account: { username: string }; initialPassword: string } } };
  const page = await (await browser.newContext()).newPage();
  await page.goto('/login');
  await page.getByLabel('Username').fill(result.data.account.username);
  await page.getByLabel('Password or token').fill(result.data.initialPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Current password').fill(result.data.initialPassword);
  await page.getByLabel('New password (at least 12 characters)').fill(`${name}-password-1`);
  await page.getByLabel('New password again').fill(`${name}-password-1`);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page).toHaveURL('/');
  return page;
}

