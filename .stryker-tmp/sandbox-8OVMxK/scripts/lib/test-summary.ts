/** The closing line of `npm test`: every test of both runners, counted from their JSON reports. */
// @ts-nocheck

import { readFileSync } from 'node:fs';

type VitestReport = { numPassedTests: number; numFailedTests: number; numPendingTests: number };
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as VitestReport;
// Unit and integration tests, then the fault tests on real `next start` processes (after the build).
const vitest = [read('e2e-results/vitest.json'), read('e2e-results/vitest-processes.json')].reduce((sum, r) => ({
  numPassedTests: sum.numPassedTests + r.numPassedTests,
  numFailedTests: sum.numFailedTests + r.numFailedTests,
  numPendingTests: sum.numPendingTests + r.numPendingTests,
}));
const playwright = JSON.parse(readFileSync('e2e-results/playwright.json', 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };

const passed = vitest.numPassedTests + playwright.stats.expected + playwright.stats.flaky;
const failed = vitest.numFailedTests + playwright.stats.unexpected;
const skipped = vitest.numPendingTests + playwright.stats.skipped;
console.log(`\nvitest ${vitest.numPassedTests} passed; playwright ${playwright.stats.expected} passed${playwright.stats.flaky ? ` (${playwright.stats.flaky} flaky)` : ''}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
