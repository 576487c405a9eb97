import { expect, test, type Page } from '@playwright/test';
import { ADMIN_TOKEN, BASE_URL } from './fixtures';
import { catalog, newViewerPage, shot, signIn } from './helpers';

const P = 'cohere';
const MODEL = 'command-a-03-2025';

/** Drops the override this spec makes, whatever happened (the admin Redis outlives a catalog reset). */
async function removeOverride(): Promise<void> {
  await fetch(`${BASE_URL}/api/trpc/catalog.removeOverride`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ provider: P, model: MODEL }),
  });
}

test.beforeEach(async () => {
  await catalog('reset');
  await removeOverride();
});
test.afterEach(removeOverride);


const modelsOf = (page: Page) => page.getByRole('region', { name: new RegExp(`\\b${P}\\b`) });

test('an admin overrides a price on the Catalog page and sees it marked overridden; a viewer sees the mark and no edit control', async ({ page, browser }) => {
  await signIn(page, '/catalog');
  const section = modelsOf(page);
  await section.getByText(`Models of ${P}`).click();
  const table = section.getByRole('table', { name: `Models of ${P}` });
  const row = table.getByRole('row', { name: new RegExp(`^${MODEL}\\b`) });
  await expect(row).toContainText('$2.5');
  await expect(row).not.toContainText('Overridden');

  await row.getByRole('button', { name: `Override ${MODEL}` }).click();
  const form = page.getByRole('form', { name: `Override of ${MODEL}` });
  await form.getByLabel('Input $/1M tok').fill('0.75');
  await form.getByLabel('Output $/1M tok').fill('1.25');
  await form.getByRole('button', { name: 'Save override' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Saved the override of ${MODEL}` })).toBeVisible();
  await expect(form).toHaveCount(0);
  await expect(row).toContainText('Overridden');
  await expect(row).toContainText('$0.75');
  await expect(row).toContainText('$1.25');
  await shot(page, 'catalog-override');

  // What readers get has the override too.
  const read = await page.request.get(`/api/catalog/models?provider=${P}`);
  const body = (await read.json()) as { models: { id: string; pricing: { inputPerMTok: number } | null }[] };
  expect(body.models.find((m) => m.id === MODEL)?.pricing?.inputPerMTok).toBe(0.75);

  const viewer = await newViewerPage(page, browser, 'override-viewer');
  await viewer.goto('/catalog');
  const theirs = modelsOf(viewer);
  await theirs.getByText(`Models of ${P}`).click();
  const theirRow = theirs.getByRole('table', { name: `Models of ${P}` }).getByRole('row', { name: new RegExp(`^${MODEL}\\b`) });
  await expect(theirRow).toContainText('Overridden');
  await expect(theirRow).toContainText('$0.75');
  await expect(theirs.getByRole('button', { name: /^Override / })).toHaveCount(0);
  await viewer.context().close();
});
