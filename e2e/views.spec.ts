/**
 * Reading the catalog and the history (issue 24, item 7): the catalog's search finds models across
 * providers, prices read evenly; the history and providers pages filter and sort, and the URL keeps
 * it all, so a link reproduces the view; times name their zone.
 */
import { expect, test, type Page } from '@playwright/test';
import { ADMIN_TOKEN } from './fixtures';
import { catalog, providerRow, signIn } from './helpers';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Starts an invalidation through the API (no dialog) and waits for it to finish; returns its id. */
async function invalidate(page: Page, providers: string[]): Promise<string> {
  const res = await page.request.post('/api/trpc/invalidation.start', { headers: auth, data: { providers } });
  expect(res.status()).toBe(200);
  const { jobId } = ((await res.json()) as { result: { data: { jobId: string } } }).result.data;
  await expect
    .poll(async () => {
      const job = await page.request.get(`/api/trpc/invalidation.get?input=${encodeURIComponent(JSON.stringify({ jobId }))}`, { headers: auth });
      return ((await job.json()) as { result?: { data?: { status?: string } } }).result?.data?.status;
    })
    .toBe('completed');
  return jobId;
}

test.beforeEach(async ({ page }) => {
  await catalog('reset');
  await signIn(page);
});

test('the catalog search finds models by id across providers, opens their lists, keeps ?q= and shows prices evenly', async ({ page }) => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalog' }).click();
  await page.getByRole('searchbox', { name: 'Search catalog' }).fill('claude');
  await expect(page).toHaveURL(/\/catalog\?q=claude$/);
  const anthropic = page.getByRole('region', { name: /\banthropic\b/ });
  const models = anthropic.getByRole('table', { name: 'Models of Anthropic' });
  await expect(models).toBeVisible(); // opened: the search found models in it
  await expect(models.getByRole('row', { name: /claude-3-5-haiku/ })).toContainText('$0.80');
  await expect(page.getByRole('region', { name: /\bopenrouter\b/ })).toBeVisible(); // its anthropic/claude-… models
  await expect(page.getByRole('region', { name: /\bgroq\b/ })).toHaveCount(0);
  // Display names as written, not upper-cased.
  await expect(anthropic.getByRole('heading', { level: 2 })).toHaveCSS('text-transform', 'none');

  await page.reload(); // the link reproduces the view
  await expect(page.getByRole('searchbox', { name: 'Search catalog' })).toHaveValue('claude');
  await expect(models).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search catalog' }).fill('no-such-model');
  await expect(page.getByText('No provider or model matches “no-such-model”.')).toBeVisible();
});

test('history: job-id search, status, date range and sort live in the URL; a link opens the same view; times name their zone', async ({ page, browser }) => {
  const groq = await invalidate(page, ['groq']);
  await catalog('reseed');
  const all = await invalidate(page, ['groq', 'openai', 'xai']);

  await page.goto('/history');
  const rows = page.getByRole('table', { name: /^Invalidation jobs/ }).getByRole('row');
  await expect(rows.nth(1)).toContainText(all);
  const when = rows.nth(1).getByRole('cell').first().locator('time').first();
  await expect(when).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+$/);
  await expect(when).toHaveAttribute('title', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+$/);

  // Sorted by keys deleted (or marked stale): most first, then fewest first (groq's 2 keys before the three providers' 6).
  const order = async () => {
    const texts = await rows.allTextContents();
    const at = (id: string) => texts.findIndex((t) => t.includes(id));
    return at(groq) - at(all); // < 0: groq's row comes first
  };
  await page.getByRole('button', { name: 'Sort by Keys deleted or marked stale' }).click();
  await expect(page.getByRole('columnheader', { name: /Keys deleted/ })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(async () => (await order()) > 0).toBe(true);
  await page.getByRole('button', { name: 'Sort by Keys deleted or marked stale' }).click();
  await expect(page.getByRole('columnheader', { name: /Keys deleted/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(async () => (await order()) < 0).toBe(true);
  await expect(page).toHaveURL(/sort=keys/);

  await page.getByLabel('Status').selectOption('completed');
  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
  await page.getByLabel('From', { exact: true }).fill(today);
  await page.getByLabel('To', { exact: true }).fill(today);
  await expect(rows.filter({ hasText: groq })).toHaveCount(1);
  await expect(rows.filter({ hasText: all })).toHaveCount(1);
  await page.getByLabel('Job id').fill(all.slice(-8).toUpperCase());
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText(all);
  const url = page.url();
  expect(new URL(url).searchParams.get('status')).toBe('completed');
  expect(new URL(url).searchParams.get('from')).toBe(today);

  // Another browser given the link sees the same view.
  const other = await browser.newContext();
  const second = await other.newPage();
  await signIn(second, `/history${new URL(url).search}`);
  await expect(second.getByLabel('Job id')).toHaveValue(all.slice(-8).toUpperCase());
  await expect(second.getByLabel('Status')).toHaveValue('completed');
  await expect(second.getByRole('columnheader', { name: /Keys deleted/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect(second.getByRole('table', { name: /^Invalidation jobs/ }).getByRole('row')).toHaveCount(2);
  await other.close();

  // A range that ends before today lists nothing.
  await page.getByLabel('Job id').fill('');
  await page.getByLabel('From', { exact: true }).fill('2000-01-01');
  await page.getByLabel('To', { exact: true }).fill('2000-01-02');
  await expect(page.getByRole('cell', { name: 'No job matches these filters.' })).toBeVisible();
});

test('providers: a state filter (not cached, stale, cached) and sorted columns, kept in the URL', async ({ page }) => {
  await invalidate(page, ['groq']);
  await page.reload();
  await expect(providerRow(page, 'groq')).toContainText('Not cached');
  await page.getByLabel('State').selectOption('not-cached');
  await expect(page).toHaveURL(/\?state=not-cached$/);
  await expect(providerRow(page, 'groq')).toBeVisible();
  await expect(providerRow(page, 'openai')).toHaveCount(0);

  await page.getByLabel('State').selectOption('cached');
  await expect(providerRow(page, 'groq')).toHaveCount(0);
  await expect(providerRow(page, 'openai')).toBeVisible();

  await page.getByRole('button', { name: 'Sort by Provider' }).click(); // name, Z → A
  await expect(page).toHaveURL(/sort=-name/);
  await page.reload();
  await expect(page.getByLabel('State')).toHaveValue('cached');
  await expect(page.getByRole('columnheader', { name: /Provider/ })).toHaveAttribute('aria-sort', 'descending');
  const names = await page.getByRole('table').locator('tbody th .provider-name').allTextContents();
  expect(names.length).toBeGreaterThan(2);
  expect(names).toEqual([...names].sort((a, b) => b.localeCompare(a, 'en', { sensitivity: 'base', numeric: true })));
});
