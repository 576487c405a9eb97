/**
 * The shared Jobs view (issue 24): every page that shows jobs lists everyone's running and recent
 * jobs, live, with who started them; one's own are marked; viewers see them too.
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { ADMIN_TOKEN, SOURCE_PROVIDER } from './fixtures';
import { catalog, jobPanel, jobsRegion, providerRow, releaseSource, shot, signIn, sourceAnswers } from './helpers';

const P = SOURCE_PROVIDER;
const model = (n: number) => ({ id: `${P}/model-${n}`, context_length: 8192, pricing: { prompt: '0.000001', completion: '0.000002' } });

test.beforeEach(() => catalog('reset'));

test('a second browser (a viewer) sees a job started in the first, live, with who started it', async ({ page, browser, request }) => {
  // The viewer: a named viewer token, sent by its browser on every request.
  const created = await request.post('/api/trpc/tokens.create', {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    data: { name: `watch-${randomBytes(3).toString('hex')}`, role: 'viewer' },
  });
  expect(created.status()).toBe(200);
  const { token } = ((await created.json()) as { result: { data: { token: string } } }).result.data;
  const viewerContext = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const viewer = await viewerContext.newPage();
  await viewer.goto('/');
  await expect(viewer.getByLabel('Signed in as')).toContainText('viewer');
  await expect(viewer.getByText('Live updates:').locator('..')).toContainText('Live');

  // The admin refreshes the source-backed provider; its source is held, so the job stays running.
  await sourceAnswers(P, { models: [model(1), model(2)], hold: true });
  await signIn(page, '/catalog');
  await page.getByRole('region', { name: new RegExp(`\\b${P}\\b`) }).getByRole('button', { name: `Refresh ${P}` }).click();
  const own = jobPanel(page, P);
  await expect(own).toContainText('Running');
  await expect(own).toContainText('Yours');

  // The viewer's page shows it without a reload, named with who started it, running, then done.
  const theirs = jobsRegion(viewer).getByRole('article', { name: `${P}, started by admin` }).first();
  await expect(theirs).toContainText('Running');
  await expect(theirs).toContainText('by admin');
  await expect(theirs).not.toContainText('Yours');
  await releaseSource(P);
  await expect(theirs).toContainText('Completed');
  await expect(theirs.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await shot(viewer, 'jobs-shared-viewer');

  // A script's job (the bootstrap token, the same admin as the page) appears on both, live.
  await request.post('/api/admin/invalidate-cache?providers=xai', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  await expect(jobsRegion(viewer).getByRole('article', { name: 'xai, started by admin (API token)' }).first()).toContainText('Completed');
  await expect(jobsRegion(page).getByRole('article', { name: 'xai, started by you' }).first()).toContainText('Yours');

  // Another page that shows jobs (the providers page) lists them too, after a reload as well.
  await viewer.reload();
  await expect(jobsRegion(viewer).getByRole('article', { name: `${P}, started by admin` }).first()).toContainText('Completed');
  await expect(viewer.getByRole('row', { name: /^xAI xai / })).toContainText('Not cached'); // a viewer's rows have no checkbox
  await viewerContext.close();
});

test('a dismissed job stays dismissed, after a reload too', async ({ page, request }) => {
  await signIn(page);
  const started = await request.post('/api/admin/invalidate-cache?providers=mistral', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const { jobId } = (await started.json()) as { jobId: string };
  const details = jobsRegion(page).getByRole('link', { name: `Details of job ${jobId}` });
  const job = jobsRegion(page)
    .getByRole('article', { name: 'mistral, started by you' })
    .filter({ has: page.getByRole('link', { name: `Details of job ${jobId}` }) });
  await expect(job).toContainText('Completed');
  await job.getByRole('button', { name: 'Dismiss mistral job' }).click();
  await expect(details).toHaveCount(0);
  await page.reload();
  await expect(providerRow(page, 'mistral')).toContainText('Not cached');
  await expect(jobsRegion(page).getByRole('article').first()).toBeVisible();
  await expect(details).toHaveCount(0);
});
