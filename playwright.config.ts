import { defineConfig, devices } from '@playwright/test';
import { BASE_URL } from './e2e/fixtures';

/**
 * E2E against `next start` (run `npx next build` first) with private Redis servers, started by
 * scripts/e2e-server.ts. Debian's Chromium: never `playwright install` here.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'e2e-results/test-results',
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: 'e2e-results/report', open: 'never' }], ['json', { outputFile: 'e2e-results/playwright.json' }]],
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 900 },
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        },
      },
    },
  ],
  webServer: {
    command: 'npx tsx --conditions=react-server scripts/e2e-server.ts',
    // The login page needs no session and no Redis: ready means Next answers.
    url: `${BASE_URL}/login`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
  },
});
