// @ts-nocheck
import { expect, test } from '@playwright/test';
import { ADMIN_TOKEN } from './fixtures';
import { catalog, providerRow, signIn } from './helpers';

test.beforeEach(async ({ page }) => {
  await catalog('reset');
  await signIn(page);
  await expect(providerRow(page, 'cohere')).toContainText('Cached');
});

test('an open page follows what happens elsewhere: a script invalidates, the read path rebuilds, a job appears in history', async ({ page, context, request }) => {
  await expect(page.getByText('Live updates:').locator('..')).toContainText('Live');
  const row = providerRow(page, 'cohere');

  // A script on the old endpoint (not this page) invalidates cohere: the row follows, no reload.
  const started = await request.post('/api/admin/invalidate-cache?cache_type=models&providers=cohere', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(started.status()).toBe(202);
  await expect(row).toContainText('Not cached');

  // A gateway reads cohere's catalog on the public path: the miss rebuilds it, the row follows.
  const read = await request.get('/api/catalog/models?provider=cohere');
  expect(read.headers()['x-cache']).toBe('MISS');
  await expect(row).toContainText('Cached');
  await expect(row).toContainText('2 / 2');

  // History open in another tab shows a job started meanwhile, without a reload.
  const history = await context.newPage();
  await history.goto('/history');
  await expect(history.getByRole('row').nth(1)).toContainText('cohere');
  const { jobId } = (await (await request.post('/api/admin/invalidate-cache?providers=xai', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { jobId: string };
  const newest = history.getByRole('row').nth(1);
  await expect(newest).toContainText(jobId);
  await expect(newest).toContainText('xai');
  await expect(newest).toContainText('Completed');
});
