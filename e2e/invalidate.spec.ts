import { expect, test } from '@playwright/test';
import { APP_ENVIRONMENT, SEEDED_PROVIDERS } from './fixtures';
import { catalog, confirmDialog, jobIdOf, jobPanel, providerRow, shot, signIn, typeEnvironment } from './helpers';

const N = SEEDED_PROVIDERS.length;

test.beforeEach(async ({ page }) => {
  await catalog('reset');
  await signIn(page);
  await expect(providerRow(page, 'groq')).toContainText('Cached');
});

test('the table shows every seeded provider, and search filters it', async ({ page }) => {
  for (const name of SEEDED_PROVIDERS) await expect(providerRow(page, name)).toBeVisible();
  await expect(providerRow(page, 'groq')).toContainText('2 / 2');
  await expect(providerRow(page, 'groq')).toContainText('just now');

  await page.getByRole('searchbox', { name: 'Search providers' }).fill('gro');
  await expect(providerRow(page, 'groq')).toBeVisible();
  await expect(providerRow(page, 'openai')).toHaveCount(0);
  await page.getByRole('searchbox', { name: 'Search providers' }).fill('zzz');
  await expect(page.getByRole('cell', { name: 'No provider matches “zzz”.' })).toBeVisible();
});

test('invalidate one provider: live progress to 100, exact keys, row turns Not cached', async ({ page }) => {
  await page.getByRole('button', { name: 'Invalidate groq', exact: true }).click();
  await confirmDialog(page, 'Invalidate groq');
  const panel = jobPanel(page, 'groq');
  const bar = panel.getByRole('progressbar', { name: /^Progress of groq/ });
  await expect(bar).toHaveAttribute('aria-valuenow', '100');
  // cacheType models + cascade: groq's models key and the full catalog.
  await expect(panel).toContainText(/Invalidated 1 provider, deleted 2 keys in \d+ ms/);
  await expect(panel).toContainText('Completed');
  await expect(panel).toContainText('Finished · live updates closed');
  await expect(page.getByRole('status', { name: 'Announcements' })).toHaveText(/^groq: Invalidated 1 provider, deleted 2 keys in \d+ ms\.$/);
  await jobIdOf(panel);

  const row = providerRow(page, 'groq');
  await expect(row).toContainText('Not cached');
  // The pricing key stays: only the models cache was asked for.
  await expect(row).toContainText('1 / 2');
  await expect(page.getByRole('button', { name: 'Invalidate groq', exact: true })).toBeEnabled();
  await expect(providerRow(page, 'openai')).toContainText('Cached');
  await shot(page, 'providers-finished-job');
});

test('invalidate selected providers in one job', async ({ page }) => {
  await page.getByRole('checkbox', { name: 'Select mistral' }).check();
  await page.getByRole('checkbox', { name: 'Select xai' }).check();
  await page.getByRole('button', { name: 'Invalidate selected (2)' }).click();
  // The title lists them by display name; only "all" asks for the environment's name.
  const dialog = page.getByRole('dialog', { name: 'Invalidate 2 providers: Mistral AI and xAI', exact: true });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('textbox')).toHaveCount(0);
  await confirmDialog(page, 'Invalidate 2 providers');
  const panel = jobPanel(page, 'mistral, xai');
  await expect(panel.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(panel).toContainText(/Invalidated 2 providers, deleted 3 keys in \d+ ms/);
  await expect(providerRow(page, 'mistral')).toContainText('Not cached');
  await expect(providerRow(page, 'xai')).toContainText('Not cached');
  await expect(page.getByRole('button', { name: 'Invalidate selected (0)' })).toBeDisabled();
});

test('invalidate all goes through a confirmation that names what it deletes', async ({ page }) => {
  await page.getByRole('button', { name: 'Invalidate all', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Invalidate all providers' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('radio', { name: 'Models only' })).toBeChecked();
  await expect(dialog.getByRole('checkbox', { name: /Cascade/ })).toBeChecked();
  await expect(dialog).toContainText(`the models cache of all ${N} providers (${N} keys) and the full catalog: up to ${N + 1} keys`);
  await shot(page, 'invalidate-all-dialog');

  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(jobPanel(page, 'All providers')).toHaveCount(0);

  // Production (the e2e server's APP_ENVIRONMENT): named in the header and the dialog, and "all"
  // is confirmed by typing the name; a wrong one keeps Confirm disabled.
  await expect(page.getByRole('banner')).toContainText(`Environment: ${APP_ENVIRONMENT} (production)`);
  await page.getByRole('button', { name: 'Invalidate all', exact: true }).click();
  await expect(dialog).toContainText(`In ${APP_ENVIRONMENT}: production`);
  const confirm = dialog.getByRole('button', { name: 'Confirm invalidate all' });
  const name = dialog.getByRole('textbox', { name: `Type ${APP_ENVIRONMENT} to confirm` });
  await expect(confirm).toBeDisabled();
  await name.fill('production');
  await expect(confirm).toBeDisabled();
  await name.press('Enter'); // submitting the form does not get past it either
  await expect(dialog).toBeVisible();
  await name.fill(`${APP_ENVIRONMENT} `.toUpperCase());
  await expect(confirm).toBeDisabled();
  await typeEnvironment(dialog);
  await expect(confirm).toBeEnabled();
  await confirm.click();
  await expect(dialog).toBeHidden();
  const panel = jobPanel(page, 'All providers');
  await expect(panel.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  // Every provider's models key, then the full catalog once.
  await expect(panel).toContainText(new RegExp(`Invalidated ${N} providers, deleted ${N + 1} keys in \\d+ ms`));
  await expect(page.getByRole('row', { name: /Not cached/ })).toHaveCount(N);
});

test('narrow screen (390 px): the page stays usable', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('button', { name: 'Invalidate groq', exact: true }).click();
  await confirmDialog(page, 'Invalidate groq');
  // The result scrolls into view, and nothing covers it: the phone's header scrolls away with the page.
  const panel = jobPanel(page, 'groq');
  await expect(panel).toContainText(/deleted 2 keys/);
  await expect(panel.getByText(/^Invalidated 1 provider/)).toBeInViewport();
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('.app-header') as Element).position)).toBe('static');
  await shot(page, 'providers-narrow-390-result');
  await expect(providerRow(page, 'groq')).toContainText('Not cached');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'providers-narrow-390');
  // Rows stack into cards: nothing scrolls sideways, the page or the table.
  const overflow = await page.evaluate(() => {
    const table = document.querySelector('.table-scroll');
    return Math.max(document.documentElement.scrollWidth - window.innerWidth, table ? table.scrollWidth - table.clientWidth : 0);
  });
  expect(overflow).toBeLessThanOrEqual(0);
});

test('keyboard only: actions are reachable with Tab, show their focus, and work with Enter and Escape', async ({ page }) => {
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { name: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '', outline: el ? getComputedStyle(el).outlineStyle : 'none' };
    });
  const tabTo = async (name: string) => {
    for (let i = 0; i < 120 && (await focused()).name !== name; i++) await page.keyboard.press('Tab');
    expect((await focused()).name).toBe(name);
  };

  await tabTo('Invalidate all');
  expect((await focused()).outline).not.toBe('none');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Invalidate all providers' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await tabTo('Invalidate groq');
  expect((await focused()).outline).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Invalidate groq' })).toBeVisible();
  await tabTo('Confirm invalidate');
  await page.keyboard.press('Enter');
  await expect(jobPanel(page, 'groq').getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(providerRow(page, 'groq')).toContainText('Not cached');
});
