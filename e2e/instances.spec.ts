import { expect, test } from '@playwright/test';
import { catalog, invalidateProvider, jobPanel, providerRow, shot, signIn } from './helpers';

test.beforeEach(async ({ page }) => {
  await catalog('reset');
  await signIn(page);
  await expect(providerRow(page, 'groq')).toContainText('Cached');
});

test('the live-instances card lists this instance; a job says 1 of 1 instance confirmed, on its panel and its page', async ({ page }) => {
  const card = page.getByRole('region', { name: 'Live instances' });
  const list = card.getByRole('list', { name: 'Live instances' });
  // The e2e server is one `next start`: one live instance, and it is the one answering.
  await expect(list.getByRole('listitem')).toHaveCount(1);
  const self = list.getByRole('listitem', { name: /\(this instance\)$/ });
  await expect(self).toContainText('This instance');
  await expect(self).toContainText(/panel \S+ · up \d+ (s|min) · last heartbeat \d+ s ago · (\d+ cached cop(y|ies) held|no cached copies held yet)/);
  // A name a person reads (host, process), not the raw id.
  await expect(self).toHaveAccessibleName(/^.+, process \d+ \(this instance\)$/);

  const jobId = await invalidateProvider(page, 'groq');
  await expect(jobPanel(page, 'groq')).toContainText('1 of 1 instance confirmed');
  await shot(page, 'instances-card-and-confirmation');

  await page.goto(`/history/${jobId}`);
  await expect(page.getByRole('region', { name: 'Live progress' })).toContainText('1 of 1 instance confirmed');
});
