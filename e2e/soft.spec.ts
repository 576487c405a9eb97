/**
 * Soft mode in plain words (issue 24): the dialog says why a choice is off and keeps soft out of the
 * danger box; the panel, the history and the job's page say what was marked stale beside what was
 * deleted; the refresh diff leads with what changed and folds the unchanged; a job's page lists the
 * keys it sent and runs it again through the same confirmation.
 */
import { expect, test } from '@playwright/test';
import { SOURCE_PROVIDER } from './fixtures';
import { catalog, jobIdOf, jobPanel, providerRow, shot, signIn } from './helpers';

test.beforeEach(async ({ page }) => {
  await catalog('reset');
  await signIn(page);
  await expect(providerRow(page, 'groq')).toContainText('Cached');
});

test('a soft invalidation reads as what it did, in the dialog, the panel, the history and the job page; Run again opens it prefilled', async ({ page }) => {
  await page.getByRole('button', { name: 'Invalidate groq', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: /^Invalidate / });
  await dialog.getByRole('radio', { name: /^Soft/ }).check();
  // Why Cache type is off, said next to it; Refresh ticked, and why.
  const cacheType = dialog.getByRole('group', { name: 'Cache type' });
  await expect(cacheType.getByRole('radio', { name: 'Models only' })).toBeDisabled();
  await expect(cacheType).toContainText('Not a choice in soft mode: it marks only the models cache stale');
  await expect(dialog.getByRole('checkbox', { name: /^Refresh/ })).toBeChecked();
  await expect(dialog).toContainText('Soft ticks Refresh');
  // Soft in the calm box, and a confirm that is not the danger button.
  await expect(dialog.locator('#invalidate-summary')).toHaveClass(/dialog-summary-calm/);
  await expect(dialog.getByRole('button', { name: 'Confirm invalidate' })).not.toHaveClass(/button-danger/);
  const preview = dialog.getByRole('region', { name: 'Preview' });
  await preview.getByText(/^Keys \(/).click();
  await expect(preview.getByRole('listitem').filter({ hasText: 'catalog:provider:{groq}:models' })).toContainText('(to mark stale: still served until rebuilt)');
  await expect(preview).not.toContainText('(not cached) (marked stale)');
  await shot(page, 'soft-dialog');
  await dialog.getByRole('checkbox', { name: /^Refresh/ }).uncheck(); // groq has no loopback source: no refresh here
  await dialog.getByRole('button', { name: 'Confirm invalidate' }).click();

  const panel = jobPanel(page, 'groq');
  await expect(panel).toContainText('Completed');
  await expect(panel).toContainText(/Marked 1 provider stale; it refreshes in the background \(1 marked stale, [01] keys? deleted, \d+ ms\)/);
  await expect(page.getByRole('status', { name: 'Announcements' })).toContainText('groq: Marked 1 provider stale');
  const id = await jobIdOf(panel);

  // The history: the keys column says what was marked, not a bare 0; the chart counts marks too.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: `Job ${id}` }) });
  await expect(row).toContainText('1 marked stale');
  await expect(page.getByRole('img', { name: /Keys deleted or marked stale by the listed jobs/ })).toBeVisible();

  // The job's page: the outcome in words, the timeline, the keys it sent.
  await row.getByRole('link', { name: `Job ${id}` }).click();
  const record = page.getByRole('region', { name: 'Record' });
  await expect(record).toContainText('OutcomeMarked 1 provider stale');
  await expect(record).toContainText('Keys marked stale1');
  await expect(page.getByRole('list', { name: 'Event timeline' })).toContainText('Marked 1 provider stale');
  await record.getByText(/^Keys sent to Redis \(/).click();
  await expect(record.getByRole('list', { name: 'Keys sent to Redis' })).toContainText('catalog:provider:{groq}:models');
  await shot(page, 'soft-job-detail');

  // Run again: the confirmation, prefilled with this job's providers and choices; nothing starts until Confirm.
  await page.getByRole('link', { name: 'Run again' }).click();
  const again = page.getByRole('dialog', { name: /^Invalidate / });
  await expect(again).toBeVisible();
  await expect(again.getByRole('radio', { name: /^Soft/ })).toBeChecked();
  await expect(again.getByRole('checkbox', { name: /^Refresh/ })).not.toBeChecked();
  await expect(again.getByRole('region', { name: 'Preview' })).toContainText('across 1 provider');
  await again.getByRole('button', { name: 'Cancel' }).click();
  await expect(again).toBeHidden();
});

test('the refresh diff leads with what changed and folds the unchanged; refresh counts read as words', async ({ page }) => {
  const P = SOURCE_PROVIDER;
  await page.getByRole('link', { name: 'Catalog', exact: true }).click();
  const section = page.getByRole('region', { name: new RegExp(`\\b${P}\\b`) });
  await section.getByRole('button', { name: `Refresh ${P}` }).click();
  const panel = jobPanel(page, P);
  await expect(panel).toContainText('Completed');
  await expect(panel).toContainText('Refresh: 0 refreshed, 1 unchanged, 0 failed');
  // Nothing changed: no list of changes, the unchanged folded under a summary, opened on demand.
  await expect(panel.getByRole('list', { name: /^Refresh diff of / })).toHaveCount(0);
  const unchanged = panel.getByRole('list', { name: /^Unchanged: Refresh diff of / });
  await expect(unchanged).toBeHidden();
  await panel.getByText('1 unchanged', { exact: true }).click();
  await expect(unchanged).toContainText(`${P} unchanged`);

  const id = await jobIdOf(panel);
  await panel.getByRole('link', { name: `Details of job ${id}` }).click();
  await expect(page.getByRole('list', { name: 'Event timeline' })).toContainText(`${P}: unchanged (0 added, 0 removed, 0 changed)`);
});
