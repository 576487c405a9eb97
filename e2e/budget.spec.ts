/**
 * The providers page's JavaScript stays under 200 KiB transferred (issue 24): every script the page
 * loads, as sent over the wire (compressed by `next start`), summed from a cold cache. The figure is
 * written to e2e-results/js-budget.json so a change that grows it shows by how much.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { providerRow, signIn } from './helpers';

const BUDGET = 200 * 1024;

test('the providers page loads under 200 KiB of JavaScript', async ({ page }) => {
  await signIn(page); // lands on "/", the providers page, from a fresh browser context (a cold cache)
  await expect(providerRow(page, 'groq')).toBeVisible();
  const scripts = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => new URL(e.name).pathname.endsWith('.js'))
      .map((e) => ({ url: e.name, transferred: (e as PerformanceResourceTiming).encodedBodySize })),
  );
  const total = scripts.reduce((sum, s) => sum + s.transferred, 0);
  mkdirSync('e2e-results', { recursive: true });
  writeFileSync('e2e-results/js-budget.json', `${JSON.stringify({ page: '/', bytes: total, kib: Math.round(total / 102.4) / 10, scripts }, null, 2)}\n`);
  expect(scripts.length).toBeGreaterThan(0);
  expect(total).toBeLessThan(BUDGET);
});
