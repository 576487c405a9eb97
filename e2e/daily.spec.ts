/**
 * The smaller things of issue 24: the favicon, the audit trail in words with links to jobs and its
 * unverified addresses explained, quiet per-row Revoke buttons, live instances named for a person.
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { ADMIN_TOKEN } from './fixtures';
import { catalog, shot, signIn } from './helpers';

test.beforeEach(() => catalog('reset'));

test('/favicon.ico is served', async ({ request }) => {
  const res = await request.get('/favicon.ico');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/image\//);
});

test('the audit trail reads as key: value with job ids as links, and says what "unverified" means', async ({ page, request }) => {
  // A script's invalidation: its audit entry names the job. Its forwarded address is not an address, so
  // the e2e server's trusted proxy (TRUSTED_PROXIES=1) does not vouch for it: the audit shows it unverified.
  const started = await request.post('/api/admin/invalidate-cache?providers=xai', { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-forwarded-for': 'claimed-by-e2e' } });
  expect(started.status()).toBeLessThan(300);
  const { jobId } = (await started.json()) as { jobId: string };
  await signIn(page, '/audit');
  const link = page.getByRole('link', { name: `Job ${jobId}` });
  await expect(link).toBeVisible();
  const row = page.getByRole('row').filter({ has: link });
  await expect(row).toContainText('job id:');
  await expect(row).toContainText('coalesced: no');
  await expect(page.getByRole('table')).not.toContainText('{"');
  await expect(row).toContainText('unverified claimed-by-e2e');
  await expect(page.getByText(/^An address marked “unverified” was claimed by the request/)).toBeVisible();
  await shot(page, 'audit-readable');
  await link.click();
  await expect(page).toHaveURL(`/history/${jobId}`);
});

test('a token row\'s Revoke is a quiet outlined button, not a solid red one', async ({ page }) => {
  const name = `quiet-${randomBytes(3).toString('hex')}`;
  await signIn(page, '/tokens');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Role').selectOption('viewer');
  await page.getByRole('button', { name: 'Create token' }).click();
  const revoke = page.getByRole('button', { name: `Revoke ${name}` });
  await expect(revoke).toHaveClass(/button-danger-quiet/);
  await expect(revoke).toHaveCSS('background-color', 'rgba(0, 0, 0, 0)');
});

test('live instances are named by host and process, and say what they hold in words', async ({ page }) => {
  await signIn(page);
  const item = page.getByRole('list', { name: 'Live instances' }).getByRole('listitem').first();
  await expect(item).toHaveAccessibleName(/, process \d+ \(this instance\)$/);
  await expect(item).not.toContainText(/\b0 copies held/);
});
