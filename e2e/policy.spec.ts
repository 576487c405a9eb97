import { expect, test, type APIRequestContext } from '@playwright/test';
import { newViewerPage, shot, signIn } from './helpers';

/** A tRPC query's answer, through the page's session. */
async function trpcQuery<T>(request: APIRequestContext, path: string): Promise<T> {
  const res = await request.get(`/api/trpc/${path}`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { result: { data: T } }).result.data;
}

interface Policy {
  defaults: Record<string, { limit?: number; action: string }>;
  providers: Record<string, Record<string, { limit?: number; action: string }>>;
}


// Other specs (guard.spec.ts) rely on the default policy: whatever this one saves is put back.
let original: Policy | null = null;
test.beforeEach(async ({ page }) => {
  await signIn(page, '/policy');
  original = await trpcQuery<Policy>(page.request, 'policy.get');
});
test.afterEach(async ({ page }) => {
  if (!original) return;
  const res = await page.request.post('/api/trpc/policy.save', { data: original, headers: { origin: new URL(page.url()).origin } });
  expect(res.ok()).toBe(true);
  expect(await trpcQuery<Policy>(page.request, 'policy.get')).toEqual(original);
});

test('an admin changes the price factor and a provider\'s own rule, saves, and a reload, the API, the audit trail and a viewer (read-only) all see them', async ({ page, browser }) => {
  const defaults = page.getByRole('table', { name: 'Global defaults' });
  await expect(defaults).toContainText('a price moving more than ×10 either way');
  await expect(defaults).toContainText('at most 20 % of models removed');
  await expect(defaults).toContainText('a priced model losing its price or going to 0');
  await expect(defaults).toContainText('context length shrinking by more than 50 %');
  await expect(defaults).toContainText('fewer than 1 model');

  // The server refuses a factor below 1, in words, and nothing is stored.
  await defaults.getByLabel('Price factor limit').fill('0.5');
  await page.getByRole('button', { name: 'Save' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'Not saved' }); // not Next's route announcer
  await expect(refusal).toContainText('a price factor is at least 1');
  expect((await trpcQuery<Policy>(page.request, 'policy.get')).defaults.priceFactor).toEqual(original?.defaults.priceFactor);

  await defaults.getByLabel('Price factor limit').fill('5');
  await expect(defaults).toContainText('a price moving more than ×5 either way');
  await page.getByLabel('Provider to override').selectOption('groq');
  await page.getByRole('button', { name: 'Add provider' }).click();
  const groq = page.getByRole('group', { name: 'Overrides for groq' });
  await groq.getByLabel('Override Minimum models').check();
  await groq.getByLabel('Minimum models limit').fill('3');
  await groq.getByLabel('Minimum models action').selectOption('alert');
  await expect(groq).toContainText('fewer than 3 models');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status', { name: 'Announcements' })).toContainText('Policy saved');
  await expect(refusal).toHaveCount(0);

  await page.reload();
  await expect(page.getByRole('table', { name: 'Global defaults' }).getByLabel('Price factor limit')).toHaveValue('5');
  await expect(groq.getByLabel('Minimum models limit')).toHaveValue('3');
  await expect(groq.getByLabel('Minimum models action')).toHaveValue('alert');
  await expect(groq.getByLabel('Override Price factor')).not.toBeChecked(); // the rest follow the defaults
  await shot(page, 'policy-admin');

  const stored = await trpcQuery<Policy>(page.request, 'policy.get');
  expect(stored.defaults.priceFactor).toEqual({ limit: 5, action: original?.defaults.priceFactor?.action });
  expect(stored.providers.groq).toEqual({ minModels: { limit: 3, action: 'alert' } });

  await page.goto('/audit');
  await expect(page.getByRole('row').filter({ hasText: 'policy.save' }).first()).toContainText('groq');

  // A viewer reads the same policy, marked read-only, with nothing to edit or save.
  const viewer = await newViewerPage(page, browser, 'policy-viewer');
  await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policy' }).click();
  await expect(viewer).toHaveURL('/policy');
  await expect(viewer.getByRole('main').getByText('Read-only')).toBeVisible();
  await expect(viewer.getByRole('table', { name: 'Global defaults' })).toContainText('a price moving more than ×5 either way');
  await expect(viewer.getByRole('group', { name: 'Overrides for groq' })).toContainText('fewer than 3 models');
  await expect(viewer.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: 'Add provider' })).toHaveCount(0);
  await expect(viewer.getByRole('spinbutton')).toHaveCount(0);
  await expect(viewer.getByRole('combobox')).toHaveCount(0);
  await shot(viewer, 'policy-viewer');
  const refused = await viewer.request.post('/api/trpc/policy.save', { data: original, headers: { origin: new URL(viewer.url()).origin } });
  expect(refused.status()).toBe(403);
  await viewer.context().close();
});
