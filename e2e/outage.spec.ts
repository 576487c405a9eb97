import { expect, test } from '@playwright/test';
import { catalog, confirmDialog, jobPanel, providerRow, shot, signedInOverAResetCatalog } from './helpers';

signedInOverAResetCatalog();

test('Redis stopped during a run: the failure in words, and the page stays usable', async ({ page }) => {
  await catalog('pause');
  const button = page.getByRole('button', { name: 'Invalidate deepseek', exact: true });
  await button.click();
  await confirmDialog(page, 'Invalidate deepseek', { waitForPreview: false });
  await expect(button).toBeDisabled();
  await expect(button).toHaveText(/Queued…|Running…/);

  const panel = jobPanel(page, 'deepseek');
  await expect(panel).toContainText('Running');
  await expect(panel).toContainText('Live');
  await expect(panel.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '0');

  await catalog('stop');
  await catalog('resume');
  const alert = panel.getByRole('alert');
  await expect(alert).toContainText('Invalidation failed');
  // The engine's words for a connection lost mid-batch (ioredis: "Connection is closed").
  await expect(alert).toContainText(/Connection is closed|Redis is unreachable/);
  await expect(panel).toContainText('Failed');
  await expect(button).toBeEnabled();
  // The list cannot load while the catalog is down: said in words.
  await expect(page.getByRole('alert').filter({ hasText: /Redis is unavailable/ })).toBeVisible({ timeout: 20_000 });
  await shot(page, 'providers-redis-down');

  await page.getByRole('link', { name: 'History' }).click();
  await expect(page.getByRole('heading', { name: 'History', level: 1 })).toBeVisible();
  await expect(page.getByRole('row', { name: /deepseek/ }).first()).toContainText('Failed');

  await catalog('start');
  await catalog('reseed');
  await page.getByRole('link', { name: 'Providers' }).click();
  await expect(async () => {
    const retry = page.getByRole('button', { name: 'Try again' });
    if (await retry.isVisible()) await retry.click();
    await expect(providerRow(page, 'deepseek')).toContainText('Cached', { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
});

test('a reload in the middle of a job finds the job again and shows it finish', async ({ page }) => {
  await catalog('pause');
  await page.getByRole('button', { name: 'Invalidate anthropic', exact: true }).click();
  await confirmDialog(page, 'Invalidate anthropic', { waitForPreview: false });
  const panel = jobPanel(page, 'anthropic');
  await expect(panel).toContainText('Running');

  await page.reload();
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('Running');
  await expect(panel.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '0');

  await catalog('resume');
  await expect(panel.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(panel).toContainText(/Invalidated 1 provider, deleted 2 keys in \d+ ms/);
  await expect(providerRow(page, 'anthropic')).toContainText('Not cached');
});
