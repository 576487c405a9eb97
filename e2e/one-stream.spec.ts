import { expect, test, type Request } from '@playwright/test';
import { ADMIN_TOKEN, BASE_URL } from './fixtures';
import { catalog, confirmDialog, jobIdOf, jobPanel, signedInOverAResetCatalog } from './helpers';

const PROVIDERS = ['cohere', 'deepinfra', 'fireworks', 'lambda', 'nebius'];

signedInOverAResetCatalog();

/** Live streams open on the server now (the instance's own gauge). */
async function openOnServer(): Promise<number> {
  const res = await fetch(`${BASE_URL}/api/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const line = (await res.text()).split('\n').find((l) => l.startsWith('catalog_invalidator_open_subscriptions '));
  return Number(line?.split(' ')[1]);
}

test('five running jobs started from one page follow one event stream, and each reaches its result', async ({ page }) => {
  // Every job-event request the page makes, and which of them are still open.
  const perJob: string[] = [];
  const open = new Set<Request>();
  page.on('request', (request) => {
    const url = request.url();
    if (url.includes('/api/trpc/invalidation.events')) perJob.push(url);
    if (url.includes('/api/trpc/invalidation.jobsEvents')) open.add(request);
  });
  page.on('requestfinished', (request) => open.delete(request));
  page.on('requestfailed', (request) => open.delete(request));

  // The catalog Redis holds every command: the jobs stay running until it resumes.
  await catalog('pause');
  for (const name of PROVIDERS) {
    await page.getByRole('button', { name: `Invalidate ${name}`, exact: true }).click();
    await confirmDialog(page, `Invalidate ${name}`, { waitForPreview: false });
    await jobIdOf(jobPanel(page, name));
  }
  for (const name of PROVIDERS) await expect(jobPanel(page, name)).toContainText(/Running|Queued/);
  for (const name of PROVIDERS) await expect(jobPanel(page, name)).toContainText('Live');

  // One stream for the five jobs; the server holds two for this page: it and the activity feed.
  await expect.poll(() => open.size).toBe(1);
  await expect.poll(openOnServer).toBe(2);
  expect(perJob).toEqual([]);

  await catalog('resume');
  for (const name of PROVIDERS) {
    const panel = jobPanel(page, name);
    await expect(panel.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    // The first to run drops the full catalog too; the others find it gone.
    await expect(panel).toContainText(/Invalidated 1 provider, deleted [12] keys? in \d+ ms/);
    await expect(panel).toContainText('1 of 1 instance confirmed');
  }
  expect(perJob).toEqual([]);
});
