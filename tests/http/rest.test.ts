/**
 * The REST routes (the old endpoint's replacement, the public catalog read path, login), called as
 * Next calls them: route handler functions with a Request, on real Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHeld } from '~/server/catalog/held';
import type { CachedProviderCatalog } from '~/server/catalog/schema';
import { adminKeys } from '~/server/redis/keys';
import { client, closeAll, keysUnder, namespace, redisUrl } from '../support/redis';

const TOKEN = 'rest-admin-token-0123456789abcdef';
const ns = namespace();
const origin = 'http://localhost:3000';
const bearer = { authorization: `Bearer ${TOKEN}` };

type Routes = Awaited<ReturnType<typeof loadRoutes>>;
let routes: Routes;

async function loadRoutes() {
  return {
    invalidate: await import('~/app/api/admin/invalidate-cache/route'),
    oldPath: await import('~/app/admin/invalidate-cache/route'),
    job: await import('~/app/api/admin/invalidations/[jobId]/route'),
    catalog: await import('~/app/api/catalog/models/route'),
    login: await import('~/app/api/auth/login/route'),
    logout: await import('~/app/api/auth/logout/route'),
    services: await import('~/server/app/services'),
  };
}

beforeAll(async () => {
  Object.assign(process.env, { REDIS_URL: redisUrl(), ADMIN_TOKEN: TOKEN, CATALOG_PREFIX: ns.catalogPrefix, ADMIN_PREFIX: ns.adminPrefix });
  routes = await loadRoutes();
  await routes.services.getServices().cache.seed();
});

afterAll(async () => {
  const { adminRedis, catalogRedis } = routes.services.getServices();
  adminRedis.disconnect();
  catalogRedis.disconnect();
  await closeAll();
});

const post = (path: string, headers: Record<string, string> = bearer) => new Request(`${origin}${path}`, { method: 'POST', headers });
const get = (path: string, headers: Record<string, string> = bearer) => new Request(`${origin}${path}`, { headers });
const jobParams = (jobId: string) => ({ params: Promise.resolve({ jobId }) });

describe('POST /api/admin/invalidate-cache', () => {
  it('answers 202 at once with the job id, its status URL and a Location header', async () => {
    const response = await routes.invalidate.POST(post('/api/admin/invalidate-cache?cache_type=models&providers=groq,xai'));
    expect(response.status).toBe(202);
    const body = (await response.json()) as { jobId: string; statusUrl: string };
    expect(body.statusUrl).toBe(`/api/admin/invalidations/${body.jobId}`);
    expect(response.headers.get('location')).toBe(body.statusUrl);
    await routes.services.getServices().runner.drain();
    const status = await routes.job.GET(get(body.statusUrl), jobParams(body.jobId));
    expect(await status.json()).toMatchObject({ id: body.jobId, status: 'completed', request: { providers: ['groq', 'xai'] }, result: { keysDeleted: 3 } });
  });

  it('joins a request to a pending job that covers it: the same 202 with that job\'s URL, and the asker recorded', async () => {
    // Sent in one tick: both reach Redis before the first job can send its deletions.
    const [wide, narrow] = await Promise.all([
      routes.invalidate.POST(post('/api/admin/invalidate-cache?providers=groq,xai')),
      routes.invalidate.POST(post('/api/admin/invalidate-cache?providers=xai')),
    ]);
    const [first, joined] = (await Promise.all([wide.json(), narrow.json()])) as { jobId: string; coalesced: boolean }[];
    expect([wide.status, narrow.status]).toEqual([202, 202]);
    expect(first).toMatchObject({ coalesced: false });
    expect(joined).toMatchObject({ jobId: first?.jobId, coalesced: true });
    expect(narrow.headers.get('location')).toBe(`/api/admin/invalidations/${first?.jobId}`);
    await routes.services.getServices().runner.drain();
    const record = (await (await routes.job.GET(get(`/api/admin/invalidations/${first?.jobId}`), jobParams(first?.jobId ?? ''))).json()) as {
      askers: { via: string }[];
      joined: number;
      status: string;
    };
    expect(record).toMatchObject({ status: 'completed', joined: 1 });
    expect(record.askers.map((a) => a.via)).toEqual(['rest', 'rest']);
  });

  it('takes mode and refresh: soft refreshes by default, delete only with refresh=true; a bad value is 400', async () => {
    const soft = (await (await routes.invalidate.POST(post('/api/admin/invalidate-cache?providers=mistral&mode=soft&cascade=false'))).json()) as { jobId: string };
    const refreshed = (await (await routes.invalidate.POST(post('/api/admin/invalidate-cache?providers=cohere&refresh=true&cascade=false'))).json()) as { jobId: string };
    await routes.services.getServices().runner.drain();
    for (const [{ jobId }, provider, mode] of [[soft, 'mistral', 'soft'], [refreshed, 'cohere', 'delete']] as const) {
      const record = await (await routes.job.GET(get(`/api/admin/invalidations/${jobId}`), jobParams(jobId))).json();
      expect(record).toMatchObject({ status: 'completed', request: { mode, refresh: true }, result: { refresh: [{ provider, status: expect.stringMatching(/refreshed|unchanged/) }] } });
    }
    const bad = await routes.invalidate.POST(post('/api/admin/invalidate-cache?providers=groq&refresh=maybe'));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/refresh/);
  });

  it('refuses without the token (401) and bad input (400, naming it), changing nothing', async () => {
    const redis = client();
    const before = await keysUnder(redis, ns.catalogPrefix);
    const history = await redis.zcard(adminKeys(ns.adminPrefix).history);
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: TOKEN }] as Record<string, string>[]) {
      const response = await routes.invalidate.POST(post('/api/admin/invalidate-cache?cache_type=all', headers));
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: expect.stringMatching(/Unauthorized/) });
    }
    const bad: [string, RegExp][] = [
      ['?providers=groq,nope', /Unknown provider: nope/],
      ['?providers=gr*q', /glob character/],
      ['?providers=', /provider name is empty/],
      ['?cache_type=pricing', /cache_type/],
    ];
    for (const [query, message] of bad) {
      const response = await routes.invalidate.POST(post(`/api/admin/invalidate-cache${query}`));
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(message);
    }
    expect(await keysUnder(redis, ns.catalogPrefix)).toEqual(before);
    expect(await redis.zcard(adminKeys(ns.adminPrefix).history)).toBe(history);
  });

  it('answers on the old path without /api exactly as on /api: 202, Location, the same body, the same auth', async () => {
    expect(routes.oldPath.POST).toBe(routes.invalidate.POST);
    expect(routes.oldPath.POST.level).toBe('operator');
    const response = await routes.oldPath.POST(post('/admin/invalidate-cache?cache_type=models&providers=groq'));
    expect(response.status).toBe(202);
    const body = (await response.json()) as { jobId: string; statusUrl: string; coalesced: boolean };
    expect(body).toEqual({ jobId: expect.any(String), statusUrl: `/api/admin/invalidations/${body.jobId}`, coalesced: false });
    expect(response.headers.get('location')).toBe(body.statusUrl);
    await routes.services.getServices().runner.drain();
    const status = await routes.job.GET(get(body.statusUrl), jobParams(body.jobId));
    expect(await status.json()).toMatchObject({ status: 'completed', request: { providers: ['groq'], cacheType: 'models' }, result: { keysDeleted: expect.any(Number) } });
    expect((await routes.oldPath.POST(post('/admin/invalidate-cache?cache_type=all', {}))).status).toBe(401);
    expect((await routes.oldPath.POST(post('/admin/invalidate-cache?cache_type=pricing'))).status).toBe(400);
  });

  it('GET of a job: 404 for an unknown one, 400 for a malformed id, 401 without the token', async () => {
    expect((await routes.job.GET(get('/x'), jobParams('0000000000000000000'))).status).toBe(404);
    expect((await routes.job.GET(get('/x'), jobParams('../../etc'))).status).toBe(400);
    expect((await routes.job.GET(get('/x', {}), jobParams('0000000000000000000'))).status).toBe(401);
  });
});

describe('GET /api/catalog/models (public)', () => {
  it('serves from Redis, rebuilds from the source on a miss, and 404s unknown providers', async () => {
    await routes.invalidate.POST(post('/api/admin/invalidate-cache?providers=mistral'));
    await routes.services.getServices().runner.drain();
    const miss = await routes.catalog.GET(get('/api/catalog/models?provider=mistral', {}));
    expect(miss.headers.get('x-cache')).toBe('MISS');
    const body = (await miss.json()) as { provider: string; models: unknown[] };
    expect(body.provider).toBe('mistral');
    expect(body.models.length).toBeGreaterThan(0);
    const hit = await routes.catalog.GET(get('/api/catalog/models?provider=mistral', {}));
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(await hit.json()).toEqual(body);
    expect(await client().pttl(`${ns.catalogPrefix}provider:{mistral}:models`)).toBeGreaterThan(0);

    const full = await routes.catalog.GET(get('/api/catalog/models', {}));
    expect(((await full.json()) as { providers: unknown[] }).providers).toHaveLength(routes.services.getServices().registry.names().length);
    expect((await routes.catalog.GET(get('/api/catalog/models?provider=nope', {}))).status).toBe(404);
    expect((await routes.catalog.GET(get('/api/catalog/models?provider=a*', {}))).status).toBe(400);
  });
});

describe('GET /api/catalog/models while the catalog guard holds a candidate', () => {
  it('says so in x-catalog-held, and only then', async () => {
    const { catalogRedis, keys } = routes.services.getServices();
    const plain = await routes.catalog.GET(get('/api/catalog/models?provider=cohere', {}));
    expect(plain.headers.get('x-catalog-held')).toBeNull();
    const published = (await plain.json()) as CachedProviderCatalog;
    const candidate = { ...published, cachedAt: Date.now(), source: 'test', models: published.models.slice(0, 1) };
    const held = { id: 'h1', gen: '0', heldAt: Date.now(), candidate, pricing: '{}', breaches: ['most models removed'], diff: { added: [], removed: [], changed: [] } };
    await catalogRedis.hset(keys.catalog.providerHeld('cohere'), encodeHeld(held));
    const flagged = await routes.catalog.GET(get('/api/catalog/models?provider=cohere', {}));
    expect(flagged.headers.get('x-catalog-held')).toBe('true');
    expect(await flagged.json()).toEqual(published); // the last published catalog, never the held one
    await catalogRedis.del(keys.catalog.providerHeld('cohere'));
    expect((await routes.catalog.GET(get('/api/catalog/models?provider=cohere', {}))).headers.get('x-catalog-held')).toBeNull();
  });

  it('names the held providers on the full catalog, from its next assembly', async () => {
    const { catalogRedis, keys } = routes.services.getServices();
    const fullRead = async () => {
      await catalogRedis.del(keys.catalog.fullCatalog);
      const res = await routes.catalog.GET(get('/api/catalog/models', {}));
      return { header: res.headers.get('x-catalog-held'), body: (await res.json()) as { held?: string[]; providers: CachedProviderCatalog[] } };
    };
    const plain = await fullRead();
    expect(plain.header).toBeNull();
    expect(plain.body.held).toBeUndefined();
    const published = plain.body.providers.find((p) => p.provider === 'cohere') as CachedProviderCatalog;
    const candidate = { ...published, cachedAt: Date.now(), source: 'test', models: published.models.slice(0, 1) };
    for (const name of ['cohere', 'xai']) {
      await catalogRedis.hset(keys.catalog.providerHeld(name), encodeHeld({ id: 'h1', gen: '0', heldAt: Date.now(), candidate, pricing: '{}', breaches: ['most models removed'], diff: { added: [], removed: [], changed: [] } }));
    }
    const flagged = await fullRead();
    expect(flagged.header).toBe('cohere, xai');
    expect(flagged.body.held).toEqual(['cohere', 'xai']);
    expect(flagged.body.providers.find((p) => p.provider === 'cohere')).toEqual(published); // the last published catalog
    for (const name of ['cohere', 'xai']) await catalogRedis.del(keys.catalog.providerHeld(name));
    expect((await fullRead()).header).toBeNull();
  });
});

describe('login', () => {
  const form = (token: string) =>
    new Request(`${origin}/api/auth/login`, { method: 'POST', body: new URLSearchParams({ token, next: '/history' }) });

  it('refuses a wrong token, and exchanges the right one for an httpOnly SameSite=Strict session cookie', async () => {
    const wrong = await routes.login.POST(form('wrong'));
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get('location')).toBe('/login?error=invalid&next=%2Fhistory');
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const right = await routes.login.POST(form(TOKEN));
    expect(right.headers.get('location')).toBe('/history');
    const cookie = right.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0] ?? '';
    expect(session).not.toContain(TOKEN);

    const withCookie = await routes.job.GET(get('/x', { cookie: session }), jobParams('0000000000000000000'));
    expect(withCookie.status).toBe(404); // authenticated: the job just does not exist
    // Without our Origin, a POST carrying the cookie is refused (CSRF) and the session lives on.
    expect((await routes.logout.POST(post('/api/auth/logout', { cookie: session }))).status).toBe(403);
    expect((await routes.job.GET(get('/x', { cookie: session }), jobParams('0000000000000000000'))).status).toBe(404);
    await routes.logout.POST(post('/api/auth/logout', { cookie: session, origin }));
    expect((await routes.job.GET(get('/x', { cookie: session }), jobParams('0000000000000000000'))).status).toBe(401);
  });

  it('marks the cookie Secure when the admin came over HTTPS (directly or via a proxy)', async () => {
    const viaProxy = new Request(`${origin}/api/auth/login`, { method: 'POST', headers: { 'x-forwarded-proto': 'https' }, body: new URLSearchParams({ token: TOKEN }) });
    expect((await routes.login.POST(viaProxy)).headers.get('set-cookie')).toMatch(/; Secure$/);
    const direct = new Request('https://admin.example/api/auth/login', { method: 'POST', body: new URLSearchParams({ token: TOKEN }) });
    expect((await routes.login.POST(direct)).headers.get('set-cookie')).toMatch(/; Secure$/);
    expect((await routes.login.POST(form(TOKEN))).headers.get('set-cookie')).not.toMatch(/Secure/);
  });

  it('never redirects off-site after login', async () => {
    const request = new Request(`${origin}/api/auth/login`, { method: 'POST', body: new URLSearchParams({ token: TOKEN, next: '//evil.example/x' }) });
    expect((await routes.login.POST(request)).headers.get('location')).toBe('/');
  });
});
