/**
 * The security behaviour of the HTTP doors, called as Next calls them: origin checks on
 * state-changing requests with a session cookie, 429 + Retry-After, tokens on REST, the audit export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, namespace, redisUrl } from '../support/redis';

const TOKEN = 'security-admin-token-0123456789abcdef';
const ns = namespace();
const origin = 'http://localhost:3000';
let r: Awaited<ReturnType<typeof load>>;

async function load() {
  return {
    invalidate: await import('~/app/api/admin/invalidate-cache/route'),
    job: await import('~/app/api/admin/invalidations/[jobId]/route'),
    audit: await import('~/app/api/admin/audit/route'),
    login: await import('~/app/api/auth/login/route'),
    logout: await import('~/app/api/auth/logout/route'),
    password: await import('~/app/api/auth/password/route'),
    trpc: await import('~/app/api/trpc/[trpc]/route'),
    services: (await import('~/server/app/services')).getServices(),
  };
}

beforeAll(async () => {
  Object.assign(process.env, {
    REDIS_URL: redisUrl(),
    ADMIN_TOKEN: TOKEN,
    CATALOG_PREFIX: ns.catalogPrefix,
    ADMIN_PREFIX: ns.adminPrefix,
    INVALIDATIONS_PER_ACTOR_PER_MINUTE: '2',
    LOGIN_FAILURES_PER_ADDRESS: '2',
  });
  r = await load();
  await r.services.cache.seed();
});

afterAll(async () => {
  r.services.adminRedis.disconnect();
  r.services.catalogRedis.disconnect();
  await closeAll();
});

const post = (path: string, headers: Record<string, string>, body?: string) => new Request(`${origin}${path}`, { method: 'POST', headers, body });
const loginForm = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  post('/api/auth/login', { 'content-type': 'application/x-www-form-urlencoded', ...headers }, new URLSearchParams(fields).toString());

async function adminSession(): Promise<string> {
  const res = await r.login.POST(loginForm({ password: TOKEN }, { 'x-forwarded-for': '192.0.2.200' }));
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe('state-changing requests with a session cookie', () => {
  it('are refused (403) from another origin or with no Origin, and accepted from ours', async () => {
    const cookie = await adminSession();
    const start = (headers: Record<string, string>) =>
      r.trpc.POST(post('/api/trpc/invalidation.start', { cookie, 'content-type': 'application/json', ...headers }, '{"providers":["groq"]}'));
    for (const bad of [{ origin: 'https://evil.example' }, {}, { origin: 'null' }, { origin: 'http://localhost:3000.evil.example' }] as Record<string, string>[]) {
      const res = await start(bad);
      expect(res.status).toBe(403);
      expect(await res.text()).toMatch(/must come from this app/);
    }
    expect((await r.invalidate.POST(post('/api/admin/invalidate-cache?providers=groq', { cookie, origin: 'https://evil.example' }))).status).toBe(403);
    expect((await r.logout.POST(post('/api/auth/logout', { cookie, origin: 'https://evil.example' }))).status).toBe(403);
    expect((await r.login.POST(loginForm({ password: TOKEN }, { origin: 'https://evil.example' }))).status).toBe(403);
    expect((await start({ origin })).status).toBe(200);
    // Queries (GET) with the cookie need no Origin: they change nothing.
    expect((await r.trpc.GET(new Request(`${origin}/api/trpc/providers.list`, { headers: { cookie } }))).status).toBe(200);
    const refused = await r.services.audit.list({ limit: 20, action: 'call.refused' });
    expect(refused.items.length).toBeGreaterThanOrEqual(6);
  });
});

describe('the password form', () => {
  it('redirects with an error code, never with text the page would print', async () => {
    const cookie = await adminSession();
    const form = (fields: Record<string, string>) =>
      post('/api/auth/password', { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(fields).toString());
    const short = await r.password.POST(form({ current: 'x', password: 'short', confirm: 'short' }));
    expect(short.headers.get('location')).toBe('/account/password?error=invalid&next=%2F');
    const differ = await r.password.POST(form({ current: 'x', password: 'a-long-password-1', confirm: 'a-long-password-2' }));
    expect(differ.headers.get('location')).toBe('/account/password?error=mismatch&next=%2F');
    // The bootstrap admin has no password: a refusal, by code.
    const bootstrap = await r.password.POST(form({ current: 'x', password: 'a-long-password-1', confirm: 'a-long-password-1' }));
    expect(bootstrap.headers.get('location')).toBe('/account/password?error=refused&next=%2F');
  });
});

describe('rate limits over HTTP', () => {
  it('REST invalidations: 429 with Retry-After after the per-actor limit; a named token works until revoked', async () => {
    const admin = { principal: { kind: 'token' as const, label: 'x', role: 'admin' as const, name: 'root', bootstrap: true, mustChangePassword: false }, info: { address: 't', userAgent: '' } };
    const { id, token } = await r.services.access.createToken(admin, 'cron', 'admin');
    // Distinct scopes: a repeat of a job that has just sent its deletions would join the next one (free).
    const call = (provider = 'groq') => r.invalidate.POST(post(`/api/admin/invalidate-cache?providers=${provider}`, { authorization: `Bearer ${token}` }));
    expect((await call('groq')).status).toBe(202);
    expect((await call('xai')).status).toBe(202);
    const limited = await call('openai');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: expect.stringMatching(/Too many invalidations/), retryAfterSeconds: expect.any(Number) });
    await r.services.access.revokeToken(admin, id);
    expect((await call()).status).toBe(401);
  });

  it('sign-in: the form is sent back saying how long to wait; JSON gets 429 with Retry-After', async () => {
    const from = { 'x-forwarded-for': '203.0.113.99' };
    for (let i = 0; i < 2; i++) {
      const res = await r.login.POST(loginForm({ username: 'nobody', password: 'wrong-password' }, from));
      expect(res.headers.get('location')).toBe('/login?error=invalid&next=%2F');
    }
    const form = await r.login.POST(loginForm({ username: 'nobody', password: 'wrong-password' }, from));
    expect(form.headers.get('location')).toMatch(/^\/login\?error=throttled&retry=\d+&next=%2F$/);
    expect(Number(form.headers.get('retry-after'))).toBeGreaterThan(0);
    const json = await r.login.POST(post('/api/auth/login', { 'content-type': 'application/json', ...from }, '{"username":"nobody","password":"x"}'));
    expect(json.status).toBe(429);
    expect(Number(json.headers.get('retry-after'))).toBeGreaterThan(0);
    // The bootstrap admin's Bearer token is untouched by all that.
    expect((await r.job.GET(new Request(`${origin}/x`, { headers: { authorization: `Bearer ${TOKEN}`, ...from } }), { params: Promise.resolve({ jobId: '0000000000000000000' }) })).status).toBe(404);
  });
});

describe('GET /api/admin/audit', () => {
  it('exports the trail as JSON lines, filtered, newest first', async () => {
    const res = await r.audit.GET(new Request(`${origin}/api/admin/audit?action=auth.sign-in`, { headers: { authorization: `Bearer ${TOKEN}` } }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { action: string; at: number });
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every((l) => l.action === 'auth.sign-in')).toBe(true);
    expect(lines.map((l) => l.at)).toEqual([...lines.map((l) => l.at)].sort((a, b) => b - a));
    expect((await r.audit.GET(new Request(`${origin}/api/admin/audit?action=nope`, { headers: { authorization: `Bearer ${TOKEN}` } }))).status).toBe(400);
  });
});
