/** The closing line of `npm test`: every test of both runners, counted from their JSON reports. */
import { readFileSync } from 'node:fs';

const vitest = JSON.parse(readFileSync('e2e-results/vitest.json', 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
const playwright = JSON.parse(readFileSync('e2e-results/playwright.json', 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };

const passed = vitest.numPassedTests + playwright.stats.expected + playwright.stats.flaky;
const failed = vitest.numFailedTests + playwright.stats.unexpected;
const skipped = vitest.numPendingTests + playwright.stats.skipped;
console.log(`\nvitest ${vitest.numPassedTests} passed; playwright ${playwright.stats.expected} passed${playwright.stats.flaky ? ` (${playwright.stats.flaky} flaky)` : ''}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
