/**
 * Hostile input at every door, generated with fast-check, against a Redis holding planted
 * lookalike keys: each request gets a clear 4xx (never a 500, never a hang), nothing is deleted
 * outside the exact scope asked for, and the server stays healthy afterwards.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogKeys } from '~/server/redis/keys';
import { client, closeAll, keysUnder, namespace, redisUrl } from '../../support/redis';

const TOKEN = 'hostile-admin-token-0123456789abcdef';
const ns = namespace();
const origin = 'http://localhost:3000';
const admin = { authorization: `Bearer ${TOKEN}` };
const RUNS = { numRuns: 60 };
let r: Awaited<ReturnType<typeof load>>;

async function load() {
  return {
    invalidate: await import('~/app/api/admin/invalidate-cache/route'),
    job: await import('~/app/api/admin/invalidations/[jobId]/route'),
    catalog: await import('~/app/api/catalog/models/route'),
    login: await import('~/app/api/auth/login/route'),
    password: await import('~/app/api/auth/password/route'),
    audit: await import('~/app/api/admin/audit/route'),
    health: await import('~/app/api/health/route'),
    trpc: await import('~/app/api/trpc/[trpc]/route'),
    services: (await import('~/server/app/services')).getServices(),
  };
}

/** Keys an invalidation must never touch: one character or one segment away from real ones. */
function lookalikes(prefix: string): string[] {
  const keys = catalogKeys(prefix);
  const real = keys.providerModels('groq');
  return [
    `${real}:backup`,
    real.replace('groq', 'groq2'),
    real.replace('groq', 'gro'),
    real.replace('groq', 'grоq'), // Cyrillic о
    real.replace(/\{?groq\}?/, '*'),
    real.replace(/\{?groq\}?/, 'groq '),
    real.replace(/\{groq\}/, 'groq') === real ? `${prefix}provider:{groq}:models` : real.replace(/\{groq\}/, 'groq'),
    `${keys.fullCatalog}:old`,
    real.replace(prefix, `${prefix.slice(0, -1)}x:`),
    real.replace('provider', 'Provider'),
  ];
}

beforeAll(async () => {
  Object.assign(process.env, { REDIS_URL: redisUrl(), ADMIN_TOKEN: TOKEN, CATALOG_PREFIX: ns.catalogPrefix, ADMIN_PREFIX: ns.adminPrefix, LOGIN_FAILURES_PER_ADDRESS: '100000', LOGIN_FAILURES_PER_ACCOUNT: '1000', SCRYPT_LOG2_N: '15' });
  r = await load();
  await r.services.cache.seed();
  const redis = client();
  for (const key of lookalikes(ns.catalogPrefix)) await redis.set(key, 'planted');
});

afterAll(async () => {
  r.services.adminRedis.disconnect();
  r.services.catalogRedis.disconnect();
  await closeAll();
});

async function catalogSnapshot(): Promise<string[]> {
  const redis = client();
  const keys = await keysUnder(redis, ns.catalogPrefix.slice(0, -'catalog:'.length));
  return keys.filter((k) => !k.startsWith(ns.adminPrefix));
}

/** A clear refusal: a 4xx with a message a person can read (for a subscription, its SSE error event says so). */
async function expectClear4xx(res: Response, label: string): Promise<void> {
  if (res.headers.get('content-type')?.includes('text/event-stream')) {
    const text = await res.text(); // an errored subscription ends its stream
    const error = /event: serialized-error\ndata: (.*)\n/.exec(text)?.[1];
    const parsed = JSON.parse(error ?? '{}') as { message?: string; data?: { httpStatus?: number } };
    expect(parsed.data?.httpStatus, `${label}: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    expect(parsed.data?.httpStatus, label).toBeLessThan(500);
    expect(parsed.message, label).toMatch(/\w{3,}/);
    return;
  }
  expect(res.status, `${label}: ${res.status}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${label}: ${res.status}`).toBeLessThan(500);
  const text = await res.text();
  const body = JSON.parse(text) as { error?: string | { message?: string } };
  const message = typeof body.error === 'string' ? body.error : body.error?.message;
  expect(message, `${label}: ${text.slice(0, 200)}`).toMatch(/\w{3,}/);
}

// ---- Arbitraries: the nasty parts, always mixed into something that is not a real provider.
const nasty = fc.constantFrom('*', '?', '[', ']', '{', '}', ':', '\\', '\r\n', '\u0000', '\u202e', 'о', 'ｇ', ' ', '/', '..', '%2A', 'İ', '\u200b', '"', "'");
const hostileName = fc.tuple(fc.constantFrom('groq', 'xai', '', 'a'), nasty, fc.string({ maxLength: 8 })).map(([a, b, c]) => `${a}${b}${c}`);
const wrongType = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.object({ maxDepth: 2 }), fc.array(fc.integer(), { maxLength: 3 }));
const pollution = fc.constantFrom('{"__proto__":{"admin":true},"providers":["groq"]}', '{"constructor":{"prototype":{"x":1}},"providers":"all","cascade":"yes"}', '{"providers":{"__proto__":["groq"]}}');
const big = 'a'.repeat(100 * 1024);
const tenThousand = Array.from({ length: 10_001 }, (_, i) => `p${i}`);

const trpcPost = (path: string, body: string, headers: Record<string, string> = admin) =>
  r.trpc.POST(new Request(`${origin}/api/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }));
const trpcGet = (path: string, input: unknown, headers: Record<string, string> = admin) =>
  r.trpc.GET(new Request(`${origin}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers }));

describe('hostile input', () => {
  it('invalidation.start: glob, separator, confusable and control characters, wrong types, pollution keys, huge strings and lists', async () => {
    const before = await catalogSnapshot();
    await fc.assert(
      fc.asyncProperty(fc.array(hostileName, { minLength: 1, maxLength: 5 }), fc.boolean(), async (names, withValid) => {
        const providers = withValid ? ['groq', ...names] : names;
        await expectClear4xx(await trpcPost('invalidation.start', JSON.stringify({ providers })), `start ${JSON.stringify(providers)}`);
      }),
      RUNS,
    );
    await fc.assert(fc.asyncProperty(wrongType, async (value) => expectClear4xx(await trpcPost('invalidation.start', JSON.stringify({ providers: value })), 'wrong type')), RUNS);
    await fc.assert(fc.asyncProperty(pollution, async (body) => expectClear4xx(await trpcPost('invalidation.start', body), body)), { numRuns: 10 });
    for (const body of [JSON.stringify({ providers: [big] }), JSON.stringify({ providers: tenThousand }), '{"providers":', 'null', '[]']) {
      await expectClear4xx(await trpcPost('invalidation.start', body), body.slice(0, 40));
    }
    expect(await catalogSnapshot()).toEqual(before);
  });

  it('REST invalidate-cache: hostile query strings', async () => {
    const before = await catalogSnapshot();
    await fc.assert(
      fc.asyncProperty(fc.array(hostileName, { minLength: 1, maxLength: 5 }), fc.constantFrom('models', 'all', 'pricing', '*', ''), async (names, cacheType) => {
        // The old endpoint trims spaces around names: "groq " alone is a real request, not hostile.
        fc.pre(!(['models', 'all'].includes(cacheType) && names.every((n) => r.services.registry.has(n.trim()))));
        const query = new URLSearchParams({ providers: names.join(','), cache_type: cacheType });
        await expectClear4xx(await r.invalidate.POST(new Request(`${origin}/api/admin/invalidate-cache?${query}`, { method: 'POST', headers: admin })), query.toString());
      }),
      RUNS,
    );
    // The public read path and the audit export take names in the query too.
    await fc.assert(
      fc.asyncProperty(hostileName, async (name) => {
        await expectClear4xx(await r.catalog.GET(new Request(`${origin}/api/catalog/models?${new URLSearchParams({ provider: name })}`)), `catalog ${name}`);
        await expectClear4xx(await r.audit.GET(new Request(`${origin}/api/admin/audit?${new URLSearchParams({ action: name })}`, { headers: admin })), `export ${name}`);
      }),
      RUNS,
    );
    await expectClear4xx(await r.invalidate.POST(new Request(`${origin}/api/admin/invalidate-cache?providers=${tenThousand.join(',')}`, { method: 'POST', headers: admin })), '10k');
    await expectClear4xx(await r.invalidate.POST(new Request(`${origin}/api/admin/invalidate-cache?providers=${big}`, { method: 'POST', headers: admin })), '100 KB');
    expect(await catalogSnapshot()).toEqual(before);
  });

  it('ids, cursors and lastEventId: job ids, audit cursors, token and account ids, malformed stream ids', async () => {
    const ids = fc.oneof(hostileName, fc.string({ maxLength: 40 }), fc.constant(big), fc.constant('../../etc/passwd'), fc.constant('0000000000000000000*'));
    await fc.assert(
      fc.asyncProperty(ids, async (id) => {
        await expectClear4xx(await trpcGet('invalidation.get', { jobId: id }), `get ${id.slice(0, 30)}`);
        await expectClear4xx(await trpcGet('audit.list', { cursor: id }), `audit cursor ${id.slice(0, 30)}`);
        await expectClear4xx(await trpcPost('tokens.revoke', JSON.stringify({ id })), `revoke ${id.slice(0, 30)}`);
        await expectClear4xx(await trpcPost('accounts.disable', JSON.stringify({ id })), `disable ${id.slice(0, 30)}`);
        await expectClear4xx(await trpcGet('invalidation.events', { jobId: '0000000000000000000', lastEventId: `${id}x` }), `lastEventId ${id.slice(0, 30)}`);
        await expectClear4xx(await r.job.GET(new Request(`${origin}/x`, { headers: admin }), { params: Promise.resolve({ jobId: id }) }), `REST job ${id.slice(0, 30)}`);
      }),
      { numRuns: 40 },
    );
  });

  it('names of accounts and tokens, and sign-in and password forms', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileName, wrongType, fc.constant(big)), async (value) => {
        const legal = typeof value === 'string' && /^[a-z0-9][a-z0-9._-]{2,31}$/.test(value); // "groq..": a fine username
        if (!legal) await expectClear4xx(await trpcPost('accounts.create', JSON.stringify({ username: value, role: 'viewer' })), `username ${String(value).slice(0, 30)}`);
        await expectClear4xx(await trpcPost('tokens.create', JSON.stringify({ name: typeof value === 'string' ? `${value}\u0000` : value, role: 'admin' })), 'token name');
        await expectClear4xx(await trpcPost('tokens.create', JSON.stringify({ name: 'ok', role: value })), 'token role');
      }),
      RUNS,
    );
    const loginJson = (body: string) => r.login.POST(new Request(`${origin}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileName, fc.string({ maxLength: 30 })), fc.string({ maxLength: 30 }), async (username, password) => {
        await expectClear4xx(await loginJson(JSON.stringify({ username, password })), `login ${username}`);
      }),
      { numRuns: 30 },
    );
    for (const body of ['{"__proto__":{"ok":true}}', '[]', 'nul', JSON.stringify({ username: big, password: 'x' })]) await expectClear4xx(await loginJson(body), body.slice(0, 30));
    const passwordJson = (body: string) =>
      r.password.POST(new Request(`${origin}/api/auth/password`, { method: 'POST', headers: { 'content-type': 'application/json', ...admin }, body }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 20 }), wrongType, fc.constant(big)), async (value) => {
        await expectClear4xx(await passwordJson(JSON.stringify({ current: value, password: value, confirm: value })), 'password form');
      }),
      { numRuns: 20 },
    );
  });

  it('forged cookies and tokens are 401; oversized bodies are 413', async () => {
    const forged = fc.oneof(fc.string({ maxLength: 60 }), fc.constant(big), fc.constant('%E0%A4%A'), fc.constant('cit_0123456789abcdef_' + 'A'.repeat(43)));
    await fc.assert(
      fc.asyncProperty(forged, async (value) => {
        const cookie = `catalog_admin_session=${encodeURIComponent(value)}`;
        await expectClear4xx(await trpcGet('providers.list', undefined, { cookie }), 'forged cookie');
        await expectClear4xx(await trpcGet('providers.list', undefined, { authorization: `Bearer ${value.replace(/\s/g, '') || 'x'}` }), 'forged token');
        await expectClear4xx(await r.audit.GET(new Request(`${origin}/api/admin/audit`, { headers: { cookie } })), 'REST forged cookie');
      }),
      { numRuns: 40 },
    );
    await expectClear4xx(await trpcGet('providers.list', undefined, { cookie: 'catalog_admin_session=%E0%A4%A' }), 'broken escape');
    const huge = await trpcPost('invalidation.start', JSON.stringify({ providers: ['x'.repeat(2 * 1024 * 1024)] }));
    expect(huge.status).toBe(413);
    await expectClear4xx(huge, 'huge tRPC body');
    const hugeLogin = await r.login.POST(new Request(`${origin}/api/auth/login`, { method: 'POST', body: `password=${big}` }));
    expect(hugeLogin.status).toBe(413);
  });

  it('afterwards the server is healthy, and a real invalidation deletes exactly its keys and no lookalike', async () => {
    expect((await r.health.GET(new Request(`${origin}/api/health`))).status).toBe(200);
    const before = await catalogSnapshot();
    const started = await trpcPost('invalidation.start', JSON.stringify({ providers: ['groq'], cacheType: 'models', cascade: true }));
    expect(started.status).toBe(200);
    await r.services.runner.drain();
    const after = await catalogSnapshot();
    const keys = catalogKeys(ns.catalogPrefix);
    expect(before.filter((k) => !after.includes(k))).toEqual([keys.fullCatalog, keys.providerModels('groq')].sort());
    for (const key of lookalikes(ns.catalogPrefix)) expect(await client().get(key)).toBe('planted');
  });
});
