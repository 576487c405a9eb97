import { expect, test } from '@playwright/test';
import { SOURCE_PROVIDER } from './fixtures';
import { catalog, newViewerPage, providerRow, shot, signIn, sourceAnswers } from './helpers';

const P = SOURCE_PROVIDER;
/** The source's two models (1.00 / 2.00 $/MTok when seeded), prices × `factor`. */
const model = (n: number, factor: number) => ({ id: `${P}/model-${n}`, context_length: 8192, pricing: { prompt: String(0.000001 * factor), completion: String(0.000002 * factor) } });

test.beforeEach(() => catalog('reset'));

test('the catalog guard: a hold on the providers page, a viewer sees it without buttons, an admin reviews the price change before → after and approves, and the catalog page shows the new prices', async ({ page, browser }) => {
  await sourceAnswers(P, { models: [model(1, 1000), model(2, 1000)] }); // every price ×1,000
  await signIn(page);
  const origin = new URL(page.url()).origin;
  const started = await page.request.post('/api/trpc/invalidation.start', { data: { providers: [P], mode: 'soft', refresh: true }, headers: { origin } });
  expect(started.ok()).toBe(true);
  const row = providerRow(page, P);
  await expect(row).toContainText('Held'); // the job's end refetches the list (activity feed)

  // A viewer sees the hold and the review, and has nothing to click.
  const viewer = await newViewerPage(page, browser, 'guard-viewer');
  await viewer.getByRole('link', { name: `Review ${P}` }).click(); // a viewer's row has no checkbox to find it by
  await expect(viewer.getByRole('list', { name: 'Rules broken' })).toContainText(`${P}/model-1 input price 1.00 → 1,000.00 $/MTok, ×1,000 (limit ×10)`);
  await expect(viewer.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: 'Reject' })).toHaveCount(0);
  await viewer.context().close();

  // The admin opens the review: per model, each field before → after.
  await row.getByRole('link', { name: `Review ${P}` }).click();
  await expect(page).toHaveURL(`/review/${P}`);
  const changes = page.getByRole('table', { name: `Changes of ${P}` });
  await expect(changes.getByRole('row', { name: /input price/ }).first()).toContainText('1.00 $/MTok');
  await expect(changes.getByRole('row', { name: /input price/ }).first()).toContainText('1,000.00 $/MTok');
  await shot(page, 'guard-review');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Approved: the candidate is published.' })).toBeVisible();

  await page.getByRole('link', { name: 'Catalog', exact: true }).click();
  const section = page.getByRole('region', { name: new RegExp(`\\b${P}\\b`) });
  await section.getByText(/^Models of /).click();
  await expect(section.getByRole('table', { name: /^Models of / })).toContainText('$1,000.00');
  await page.goto('/');
  await expect(providerRow(page, P)).not.toContainText('Held');
});
