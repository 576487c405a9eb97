/**
 * Every page, light and dark, on a desktop (1440×900) and a phone (390×844) (issue 24):
 *   - axe-core finds no violation (WCAG 2.x A and AA rules, the best practices included);
 *   - on the phone, the document does not scroll sideways (scrollWidth ≤ the viewport's width);
 *   - a full-page screenshot of each is written to e2e-results/screens/<page>-<scheme>-<size>.png.
 *
 * PAGES is the one list: a page added to app/ gets a line there. Every list has something in it
 * (a job, a schedule, a token, an account, a held provider), so tables show rows, not their empty state.
 * One browser; one signed-in and one signed-out context per scheme and size, reused for every page.
 */
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { ADMIN_TOKEN, SOURCE_PROVIDER } from './fixtures';
import { catalog, sourceAnswers } from './helpers';

interface Seeded {
  jobId: string;
  /** A soft job with refresh: its page lists the keys it marked stale. */
  softJobId: string;
  /** A viewer's API token: signs in at the form as itself. */
  viewerToken: string;
  /** Removed after the run: the schedule specs count on an empty list. */
  scheduleId: string;
  /** An account that has not changed its initial password yet: signing in lands on /account/password. */
  account: { username: string; password: string };
}

interface PageCase {
  /** The screenshot's name. */
  name: string;
  path: (seeded: Seeded) => string;
  /** Who visits: the bootstrap admin (default), nobody (the login page), a new account (its password page), a viewer token. */
  as?: 'admin' | 'nobody' | 'account' | 'viewer';
}

/** Every page of app/ (the route handlers under app/api and app/admin are not pages). */
export const PAGES: PageCase[] = [
  { name: 'login', path: () => '/login', as: 'nobody' },
  { name: 'providers', path: () => '/' },
  { name: 'catalog', path: () => '/catalog' },
  { name: 'history', path: () => '/history' },
  { name: 'job', path: (s) => `/history/${s.jobId}` },
  { name: 'job-soft', path: (s) => `/history/${s.softJobId}` },
  { name: 'run-again', path: (s) => `/?again=${s.jobId}` },
  { name: 'review', path: () => `/review/${SOURCE_PROVIDER}` },
  { name: 'changes', path: () => '/changes' },
  { name: 'policy', path: () => '/policy' },
  { name: 'policy-viewer', path: () => '/policy', as: 'viewer' },
  { name: 'schedules', path: () => '/schedules' },
  { name: 'tokens', path: () => '/tokens' },
  { name: 'accounts', path: () => '/accounts' },
  { name: 'audit', path: () => '/audit' },
  { name: 'password', path: () => '/account/password', as: 'account' },
  { name: 'not-found', path: () => '/no-such-page' },
  { name: 'providers-viewer', path: () => '/', as: 'viewer' },
  { name: 'history-viewer', path: () => '/history', as: 'viewer' },
  { name: 'needs-admin', path: () => '/tokens', as: 'viewer' },
];

const SIZES = [
  { name: '1440x900', viewport: { width: 1440, height: 900 } },
  { name: '390x844', viewport: { width: 390, height: 844 } },
] as const;
const SCHEMES = ['light', 'dark'] as const;

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const suffix = () => Date.now().toString(36);
const P = SOURCE_PROVIDER;
/** The source's two models with every price ×1,000: the guard holds the refresh (see guard.spec.ts). */
const held = (n: number) => ({ id: `${P}/model-${n}`, context_length: 8192, pricing: { prompt: '0.001', completion: '0.002' } });

async function trpc(page: Page, path: string, data: unknown): Promise<unknown> {
  const res = await page.request.post(`/api/trpc/${path}`, { headers: auth, data });
  expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
  return ((await res.json()) as { result: { data: unknown } }).result.data;
}

async function heldProviders(page: Page): Promise<string[]> {
  const res = await page.request.get('/api/trpc/providers.list', { headers: auth });
  const list = ((await res.json()) as { result: { data: { name: string; held?: boolean }[] } }).result.data;
  return list.filter((p) => p.held).map((p) => p.name);
}

/** Something in every list: a finished job, a held provider, a schedule, a token, an account (and their audit entries). */
async function seed(browser: Browser): Promise<Seeded> {
  await catalog('reset');
  const context = await browser.newContext();
  const page = await context.newPage();
  const { jobId } = (await trpc(page, 'invalidation.start', { providers: ['groq'] })) as { jobId: string };
  await sourceAnswers(P, { models: [held(1), held(2)] });
  const { jobId: softJobId } = (await trpc(page, 'invalidation.start', { providers: [P], mode: 'soft', refresh: true })) as { jobId: string };
  await expect.poll(async () => (await heldProviders(page)).includes(P)).toBe(true);
  const { id: scheduleId } = (await trpc(page, 'schedules.save', { providers: ['groq', 'xai'], timing: { kind: 'cron', expression: '0 3 * * *' } })) as { id: string };
  const { token: viewerToken } = (await trpc(page, 'tokens.create', { name: `a11y-${suffix()}`, role: 'viewer' })) as { token: string };
  const created = (await trpc(page, 'accounts.create', { username: `a11y-${suffix()}`, role: 'operator' })) as { account: { username: string }; initialPassword: string };
  await context.close();
  return { jobId, softJobId, viewerToken, scheduleId, account: { username: created.account.username, password: created.initialPassword } };
}

/** The page has drawn its data: its title is there and nothing says "Loading". */
async function settled(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
}

let seeded: Seeded;

test.beforeAll(async ({ browser }) => {
  seeded = await seed(browser);
  mkdirSync('e2e-results/screens', { recursive: true });
});

test.afterAll(async ({ browser }) => {
  // Leave nothing held and no schedule for the specs that follow: the admin rejects the candidate.
  const context = await browser.newContext({ extraHTTPHeaders: auth });
  const page = await context.newPage();
  await trpc(page, 'schedules.remove', { id: seeded.scheduleId });
  await page.goto(`/review/${P}`);
  const reject = page.getByRole('button', { name: 'Reject' });
  if (await reject.isVisible()) {
    await reject.click();
    await expect(reject).toHaveCount(0);
  }
  await context.close();
  await catalog('reset');
});

for (const size of SIZES) {
  for (const scheme of SCHEMES) {
    test(`every page at ${size.name} in ${scheme}: no axe violation${size.viewport.width < 640 ? ', no sideways scroll' : ''}, a screenshot`, async ({ browser }) => {
      test.setTimeout(240_000);
      const options = { viewport: size.viewport, colorScheme: scheme, reducedMotion: 'reduce' as const };
      const contexts = {
        admin: await browser.newContext(options),
        nobody: await browser.newContext(options),
        account: await browser.newContext(options),
        viewer: await browser.newContext(options),
      };
      // Signed in through the form, once for every page of the context.
      const admin = await contexts.admin.newPage();
      await admin.goto('/login');
      await admin.getByLabel('Password or token').fill(ADMIN_TOKEN);
      await admin.getByRole('button', { name: 'Sign in' }).click();
      await expect(admin).toHaveURL('/');
      await admin.close();
      const account = await contexts.account.newPage();
      await account.goto('/login');
      await account.getByLabel('Username').fill(seeded.account.username);
      await account.getByLabel('Password or token').fill(seeded.account.password);
      await account.getByRole('button', { name: 'Sign in' }).click();
      await expect(account).toHaveURL(/\/account\/password/);
      await account.close();
      const viewer = await contexts.viewer.newPage();
      await viewer.goto('/login');
      await viewer.getByLabel('Password or token').fill(seeded.viewerToken);
      await viewer.getByRole('button', { name: 'Sign in' }).click();
      await expect(viewer).toHaveURL('/');
      await viewer.close();

      const problems: string[] = [];
      for (const c of PAGES) {
        const page = await contexts[c.as ?? 'admin'].newPage();
        await page.goto(c.path(seeded));
        await settled(page);
        const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
        for (const v of results.violations) {
          problems.push(`${c.name}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`).join(' | ')}`);
        }
        if (size.viewport.width < 640) {
          const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
          if (widths.scroll > widths.viewport) problems.push(`${c.name}: scrolls sideways (${widths.scroll} px wide in a ${widths.viewport} px viewport)`);
        }
        await page.screenshot({ path: `e2e-results/screens/${c.name}-${scheme}-${size.name}.png`, fullPage: true });
        await page.close();
      }
      for (const context of Object.values(contexts)) await context.close();
      expect(problems).toEqual([]);
    });
  }
}
