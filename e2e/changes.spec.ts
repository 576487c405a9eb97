import { expect, test } from '@playwright/test';
import { SOURCE_PROVIDER } from './fixtures';
import { catalog, shot, signIn, sourceAnswers } from './helpers';

const P = SOURCE_PROVIDER;
/** A model of the source at 1.00 / 2.00 $/MTok × `factor` (the seeded answer has model-1 and model-2 at ×1). */
const model = (n: number, factor: number) => ({ id: `${P}/model-${n}`, context_length: 8192, pricing: { prompt: String(0.000001 * factor), completion: String(0.000002 * factor) } });

test.beforeEach(() => catalog('reset'));

test('the Changes page: a refresh that moves a price and adds a model is listed before → after, filtered by kind in the URL, the new model marked new until seen', async ({ page }) => {
  await sourceAnswers(P, { models: [model(1, 3), model(2, 1), model(3, 1)] }); // model-1 ×3 (inside ×10), model-3 added
  await signIn(page);
  await page.getByRole('link', { name: 'Changes', exact: true }).click();
  await expect(page).toHaveURL('/changes');
  await page.getByLabel('Provider').selectOption(P);
  await expect(page).toHaveURL(`/changes?provider=${P}`);
  await expect(page.getByRole('status').filter({ hasText: /Showing/ })).toBeVisible();

  // The refresh runs while the page is open: the catalog's activity brings its rows in, no reload.
  const origin = new URL(page.url()).origin;
  const started = await page.request.post('/api/trpc/invalidation.start', { data: { providers: [P], mode: 'soft', refresh: true }, headers: { origin } });
  expect(started.ok()).toBe(true);
  const table = page.getByRole('table', { name: 'Published changes of the catalog, newest first' });
  const priced = table.getByRole('row', { name: new RegExp(`${P}/model-1\\b`) }).first();
  await expect(priced).toContainText('Price');
  await expect(priced).toContainText('input price: 1.00 $/MTok → 3.00 $/MTok');
  await expect(priced).toContainText('output price: 2.00 $/MTok → 6.00 $/MTok');
  const added = table.getByRole('row', { name: new RegExp(`${P}/model-3\\b`) }).first();
  await expect(added).toContainText('Added');
  await expect(added).toContainText('New');
  await expect(priced).not.toContainText('New');
  await shot(page, 'changes');

  // Filter by kind: in the URL, and only price changes listed.
  await page.getByLabel('Kind').selectOption('price');
  await expect(page).toHaveURL(`/changes?provider=${P}&kind=price`);
  await expect(table.getByRole('row', { name: new RegExp(`${P}/model-1\\b`) }).first()).toBeVisible();
  await expect(table.getByRole('row', { name: new RegExp(`${P}/model-3\\b`) })).toHaveCount(0);

  // The filters survive a reload (they are the URL); the added model, seen once, is no longer new.
  await page.reload();
  await expect(page.getByLabel('Kind')).toHaveValue('price');
  await page.goto(`/changes?provider=${P}&kind=added`);
  const again = table.getByRole('row', { name: new RegExp(`${P}/model-3\\b`) }).first();
  await expect(again).toContainText('Added');
  await expect(again).not.toContainText('New');
});
