/**
 * The schedule form (issue 24): providers picked from a list, the cron read aloud with its next three
 * runs before saving (or why it cannot be saved), next runs as "in …", and a word when the form empties.
 */
import { expect, test, type Page } from '@playwright/test';
import { ADMIN_TOKEN } from './fixtures';
import { catalog, shot, signIn } from './helpers';

/** The saved schedules, as the API lists them (other specs may have left some). */
async function scheduleIds(page: Page): Promise<string[]> {
  const res = await page.request.get('/api/trpc/schedules.list', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { result: { data: { id: string }[] } }).result.data.map((s) => s.id);
}

test.beforeEach(async ({ page }) => {
  await catalog('reset');
  await signIn(page, '/schedules');
});

test('a cron schedule: providers ticked, the cron in words and its next runs before saving, then what was saved', async ({ page }) => {
  const form = page.getByRole('form', { name: 'New scheduled refresh' });
  await form.getByRole('radio', { name: 'These providers' }).check();
  await expect(form.getByRole('textbox', { name: /Provider names/ })).toHaveCount(0); // no free text to mistype
  await form.getByRole('checkbox', { name: /\bgroq$/ }).check();
  await form.getByRole('checkbox', { name: /\bxai$/ }).check();
  await expect(form).toContainText('2 of ');

  await form.getByRole('radio', { name: 'Cron expression (UTC)' }).check();
  const when = form.getByRole('region', { name: 'When it runs' });
  await form.getByRole('textbox', { name: 'Cron expression' }).fill('61 * * * *');
  await expect(when).toContainText('Cannot be saved: Invalid cron expression "61 * * * *"');
  await form.getByRole('textbox', { name: 'Cron expression' }).fill('0 9 * * 1-5');
  await expect(when).toContainText('At 09:00 UTC, Monday to Friday');
  const runs = when.getByRole('list', { name: 'Next runs' });
  await expect(runs.getByRole('listitem')).toHaveCount(3);
  await expect(runs.getByRole('listitem').first()).toContainText(/\(in \d/);
  await shot(page, 'schedule-form-preview');

  await form.getByRole('button', { name: 'Save schedule' }).click();
  const row = page.getByRole('row', { name: 'Schedule groq, xai, cron 0 9 * * 1-5 (UTC)' });
  try {
    await expect(row).toBeVisible();
    await expect(row).toContainText(/in \d/);
    await expect(page.getByRole('status').filter({ hasText: /^Created: groq, xai, cron 0 9 \* \* 1-5 \(UTC\); first run in / })).toContainText(
      'The form is ready for another schedule.',
    );
    // The form is empty again: "All providers" and the default interval.
    await expect(page.getByRole('form', { name: 'New scheduled refresh' }).getByRole('radio', { name: 'All providers' })).toBeChecked();
  } finally {
    await row.getByRole('button', { name: 'Delete schedule groq, xai' }).click();
    await expect(row).toHaveCount(0);
  }
});

test('an interval reads as words with its next three runs; nothing is saved by previewing', async ({ page }) => {
  const before = await scheduleIds(page);
  const form = page.getByRole('form', { name: 'New scheduled refresh' });
  await form.getByRole('spinbutton', { name: 'Interval' }).fill('2');
  await form.getByRole('combobox', { name: 'Interval unit' }).selectOption('hours');
  const when = form.getByRole('region', { name: 'When it runs' });
  await expect(when).toContainText('every 2 h');
  await expect(when.getByRole('list', { name: 'Next runs' }).getByRole('listitem')).toHaveText([/\(in 2 h\)/, /\(in 4 h\)/, /\(in 6 h\)/]);
  expect(await scheduleIds(page)).toEqual(before);
});
