import { expect, test } from '@playwright/test';
import { SOURCE_PROVIDER } from './fixtures';
import { catalog, jobIdOf, jobPanel, providerRow, releaseSource, shot, signIn, sourceAnswers } from './helpers';

const P = SOURCE_PROVIDER;
const model = (n: number) => ({ id: `${P}/model-${n}`, context_length: 8192, pricing: { prompt: '0.000001', completion: '0.000002' } });

test.beforeEach(async ({ page }) => {
  await catalog('reset');
  await signIn(page);
  await expect(providerRow(page, 'groq')).toContainText('Cached');
});

test('the dialog previews the exact keys and the models cached now, and Cancel changes nothing', async ({ page }) => {
  await page.getByRole('button', { name: 'Invalidate groq', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Invalidate groq' });
  const preview = dialog.getByRole('region', { name: 'Preview' });
  await expect(preview).toContainText('2 keys of 2 planned exist now and will be deleted; 8 models cached now across 1 provider');
  await preview.getByText('Keys (2)').click();
  await expect(preview.getByText('catalog:provider:{groq}:models', { exact: true })).toBeVisible();
  await expect(preview.getByText('catalog:{global}:all', { exact: true })).toBeVisible();
  await preview.getByText('Models cached now (8)').click();
  await expect(preview).toContainText('llama-3.3-70b-versatile');

  // Cache type "everything" plans the pricing key and the globals too.
  await dialog.getByRole('radio', { name: /Everything/ }).check();
  await expect(preview).toContainText('of 5 planned');
  await shot(page, 'invalidate-dialog-preview');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(providerRow(page, 'groq')).toContainText('2 / 2');
  await expect(jobPanel(page, 'groq')).toHaveCount(0);
});

test('Refresh on the catalog page: the old models stay served (Stale) while the source answers, then the diff and the new models', async ({ page }) => {
  await sourceAnswers(P, { models: [model(1), model(3)], hold: true }); // model-2 gone, model-3 new; held until released
  await page.getByRole('link', { name: 'Catalog', exact: true }).click();
  const section = page.getByRole('region', { name: new RegExp(`\\b${P}\\b`) });
  await expect(section).toContainText('2 models cached');
  await section.getByRole('button', { name: `Refresh ${P}` }).click();

  const panel = jobPanel(page, P);
  await expect(panel).toContainText('Running');
  await expect(section).toContainText('Stale: served until refreshed');
  await expect(section).toContainText('2 models cached'); // never empty while the source is slow
  await releaseSource(P);
  await expect(panel).toContainText('Completed');
  await expect(section).not.toContainText('Stale');
  await expect(panel).toContainText('Refresh: 1 refreshed, 0 unchanged, 0 failed');
  const diff = panel.getByRole('list', { name: /^Refresh diff of / });
  await expect(diff).toContainText(`1 added (${P}/model-3)`);
  await expect(diff).toContainText(`1 removed (${P}/model-2)`);
  await section.getByText(/^Models of /).click();
  await expect(section.getByRole('table', { name: /^Models of / })).toContainText(`${P}/model-3`);
  await expect(section.getByRole('table', { name: /^Models of / })).not.toContainText(`${P}/model-2`);
  await shot(page, 'catalog-refresh-diff');

  // The job's page shows the same diff.
  const id = await jobIdOf(panel);
  await panel.getByRole('link', { name: `Details of job ${id}` }).click();
  // This job's list by name: until the navigation lands, the catalog page's panels of earlier jobs
  // of this provider (other specs refresh it too) match a looser name, and strict mode refuses.
  await expect(page.getByRole('list', { name: `Refresh diff of job ${id}` })).toContainText(`1 added (${P}/model-3)`);
});

test('a source that fails keeps the catalog it had, and the panel says so', async ({ page }) => {
  await sourceAnswers(P, { status: 503 });
  await page.getByRole('link', { name: 'Catalog', exact: true }).click();
  const section = page.getByRole('region', { name: new RegExp(`\\b${P}\\b`) });
  await section.getByRole('button', { name: `Refresh ${P}` }).click();
  const panel = jobPanel(page, P);
  await expect(panel).toContainText('Refresh: 0 refreshed, 0 unchanged, 1 failed');
  await expect(panel).toContainText(/answered 503; kept the last good copy \(2 models/);
  await expect(section).toContainText('2 models cached');
});

test('a schedule is created in the panel, fires, and its run is an ordinary job', async ({ page }) => {
  await page.getByRole('link', { name: 'Schedules' }).click();
  const form = page.getByRole('form', { name: 'New scheduled refresh' });
  await form.getByRole('radio', { name: 'These providers' }).check();
  await form.getByRole('checkbox', { name: new RegExp(`\\b${P}$`) }).check();
  await form.getByRole('spinbutton', { name: 'Interval' }).fill('2');
  await form.getByRole('combobox', { name: 'Interval unit' }).selectOption('seconds');
  await form.getByRole('button', { name: 'Save schedule' }).click();
  const row = page.getByRole('row', { name: `Schedule ${P}, every 2 s` });
  try {
    await expect(row).toBeVisible();
    const lastRun = row.getByRole('link', { name: new RegExp(`^Last run of ${P}: job `) });
    await expect(lastRun).toBeVisible({ timeout: 20_000 });
    await shot(page, 'schedules');

    // Edited in place: an hour from now on, the run already recorded stays.
    await row.getByRole('button', { name: `Edit schedule ${P}` }).click();
    const edit = page.getByRole('form', { name: 'Edit scheduled refresh' });
    await edit.getByRole('spinbutton', { name: 'Interval' }).fill('1');
    await edit.getByRole('combobox', { name: 'Interval unit' }).selectOption('hours');
    await edit.getByRole('button', { name: 'Save schedule' }).click();
    const hourly = page.getByRole('row', { name: `Schedule ${P}, every 1 h` });
    await expect(hourly).toBeVisible();
    await expect(page.getByRole('form', { name: 'New scheduled refresh' })).toBeVisible();
    await hourly.getByRole('link', { name: new RegExp(`^Last run of ${P}: job `) }).click();
    await expect(page.getByRole('heading', { name: /^Job / })).toBeVisible();
    // The actor, in the record (and again among the askers).
    await expect(page.getByText(/^schedule s[0-9a-f]{12}, every 2 s, due /).first()).toBeVisible();
    // Unchanged providers are folded under a summary: opened, the list says so.
    await page.getByText('1 unchanged', { exact: true }).click();
    await expect(page.getByRole('list', { name: /^Unchanged: Refresh diff of / })).toContainText(`${P} unchanged`);
  } finally {
    await page.goto('/schedules');
    await page.getByRole('button', { name: `Delete schedule ${P}` }).click();
    await expect(page.getByRole('button', { name: `Delete schedule ${P}` })).toHaveCount(0);
  }
});
