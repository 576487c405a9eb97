import { expect, test, type Page } from '@playwright/test';
import { SEEDED_PROVIDERS } from './fixtures';
import { catalog, invalidateProvider, jobIdOf, jobPanel, shot, signIn, typeEnvironment } from './helpers';

const N = SEEDED_PROVIDERS.length;

async function invalidateAll(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Invalidate all', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Invalidate all providers' });
  await typeEnvironment(dialog);
  await dialog.getByRole('button', { name: 'Confirm invalidate all' }).click();
  const panel = jobPanel(page, 'All providers');
  await expect(panel).toContainText(`deleted ${N + 1} keys`);
  return jobIdOf(panel);
}

const jobRow = (page: Page, id: string) => page.getByRole('row', { name: new RegExp(`Job ${id}`) });

test.beforeEach(async ({ page }) => {
  await catalog('reset');
  await signIn(page);
});

test('history lists the jobs newest first, with their figures, and filters them', async ({ page }) => {
  // Reseeded before each job, so each deletes exactly what it would on a warm cache.
  const groq = await invalidateProvider(page, 'groq');
  await catalog('reseed');
  const openai = await invalidateProvider(page, 'openai');
  await catalog('reseed');
  const all = await invalidateAll(page);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
  await expect(page.getByRole('heading', { name: 'History', level: 1 })).toBeVisible();
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows.nth(1)).toContainText(all);
  await expect(rows.nth(2)).toContainText(openai);
  await expect(rows.nth(3)).toContainText(groq);

  const groqRow = jobRow(page, groq);
  await expect(groqRow).toContainText('admin (session');
  await expect(groqRow).toContainText('groq');
  await expect(groqRow).toContainText('models + full catalog');
  await expect(groqRow).toContainText('Completed');
  // Cells: when, by, scope and cache type, status, keys deleted (the job id is the row header).
  await expect(groqRow.getByRole('cell').nth(4)).toHaveText('2');
  await expect(jobRow(page, all)).toContainText('All providers');
  await expect(jobRow(page, all).getByRole('cell').nth(4)).toHaveText(String(N + 1));

  await expect(page.getByRole('img', { name: /Duration of the listed jobs/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /Keys deleted or marked stale by the listed jobs/ })).toBeVisible();
  await shot(page, 'history');

  // Provider filter: jobs naming groq, and jobs over all providers; not the openai one.
  await page.getByLabel('Provider').selectOption('groq');
  await expect(jobRow(page, openai)).toHaveCount(0);
  await expect(jobRow(page, groq)).toBeVisible();
  await expect(jobRow(page, all)).toBeVisible();

  await page.getByLabel('Status').selectOption('failed');
  await expect(jobRow(page, groq)).toHaveCount(0);
  await expect(jobRow(page, all)).toHaveCount(0);

  await page.getByLabel('Status').selectOption('completed');
  await expect(jobRow(page, groq)).toBeVisible();
  await page.getByLabel('Provider').selectOption('');
  await expect(jobRow(page, openai)).toBeVisible();
});

test('a finished job opened later replays its whole timeline', async ({ page }) => {
  const id = await invalidateProvider(page, 'cohere');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
  await jobRow(page, id).getByRole('link', { name: `Job ${id}` }).click();

  await expect(page).toHaveURL(`/history/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(id);
  const timeline = page.getByRole('list', { name: 'Event timeline' });
  const events = timeline.getByRole('listitem');
  // One batch: its progress is folded into `completed` (a round trip fewer).
  await expect(events).toHaveCount(3);
  await expect(events.nth(0)).toContainText('queued');
  await expect(events.nth(0)).toContainText('Queued for 1 provider');
  await expect(events.nth(1)).toContainText('started');
  await expect(events.nth(1)).toContainText('2 keys planned');
  await expect(events.nth(2)).toContainText('completed');
  await expect(events.nth(2)).toContainText(/Invalidated 1 provider, deleted 2 keys in \d+ ms/);
  await expect(page.getByRole('progressbar', { name: `Progress of job ${id}` })).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByRole('region', { name: 'Record' })).toContainText('Keys deleted2');
  await shot(page, 'job-detail');
});

test('an unknown job says so in words', async ({ page }) => {
  await page.goto('/history/000000000ffffffffff');
  await expect(page.getByRole('heading', { name: 'No invalidation job 000000000ffffffffff' })).toBeVisible();
  await page.goto('/history/not-a-job');
  await expect(page.getByRole('heading', { name: 'No invalidation job not-a-job' })).toBeVisible();
});

test('history pages with the server cursor ("Load more")', async ({ page }) => {
  // 21 quick jobs through the API (same session cookie, so from this app's origin), so there is always a
  // second page. Each names another provider: identical requests could join one pending job (coalescing).
  const origin = new URL(page.url()).origin;
  for (let i = 0; i < 21; i++) {
    const res = await page.request.post('/api/trpc/invalidation.start', { data: { providers: [SEEDED_PROVIDERS[i % SEEDED_PROVIDERS.length]] }, headers: { origin } });
    expect(res.ok()).toBe(true);
    expect(((await res.json()) as { result: { data: { coalesced: boolean } } }).result.data.coalesced).toBe(false);
  }
  await page.goto('/history');
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(21); // header + 20
  await expect(page.getByRole('status').filter({ hasText: 'Showing 20 jobs' })).toBeVisible();
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Showing (2[1-9]|[3-9]\d|\d{3,}) jobs/ })).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(21);
});

test('a job that coalesced two requests shows both askers in its record', async ({ page }) => {
  await signIn(page, '/history');
  // The session cookie's POSTs must come from the app's own origin (CSRF check).
  const origin = new URL(page.url()).origin;
  const start = async (provider: string) => {
    const res = await page.request.post('/api/trpc/invalidation.start', { data: { providers: [provider] }, headers: { origin } });
    return ((await res.json()) as { result: { data: { jobId: string; coalesced: boolean } } }).result.data;
  };
  // Hold the catalog Redis and fill the server's 4 job slots (JOB_CONCURRENCY), so the next job waits
  // unsent: an identical request then joins it, whatever the timing.
  await catalog('pause');
  for (const provider of ['ai21', 'cerebras', 'fireworks', 'lambda']) await start(provider);
  const first = await start('perplexity');
  const second = await start('perplexity');
  expect(second).toEqual({ jobId: first.jobId, coalesced: true });
  await catalog('resume');
  await page.goto(`/history/${first.jobId}`);
  await expect(page.getByRole('region', { name: 'Record' })).toContainText('Completed');
  const askers = page.getByRole('list', { name: 'Asked by' }).getByRole('listitem');
  await expect(askers).toHaveCount(2);
  await expect(askers.nth(1)).toContainText('panel / tRPC');
});
