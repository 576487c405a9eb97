/**
 * Credentials scoped to providers (issue 25), through every door that acts on a provider: tRPC
 * (`invalidation.start`, `.preview`), REST (`POST /api/admin/invalidate-cache`) and the CLI (over
 * the real tRPC route on loopback HTTP). Out of scope is FORBIDDEN naming the provider, before
 * anything is written: no job, no catalog key touched, no history entry, no `invalidation.start` in
 * the trail (only the refusal). "all" needs an unscoped credential; reading shows everything; a
 * token never gets more than its maker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '~/server/identity/schema';
import { createCaller } from '~/server/trpc/root';
import { runCli, type CliRun } from '../support/cli';
import { bootstrapAdmin } from '../support/principals';
import { client, closeAll, keysUnder, namespace, redisUrl } from '../support/redis';
import { serveTrpc, type Served } from '../support/serve-trpc';

const ADMIN_TOKEN = 'scopes-admin-token-0123456789abcdef';
const ns = namespace();
const origin = 'http://localhost:3000';
let r: Awaited<ReturnType<typeof load>>;
let served: Served;
let base: string;
/** A token scoped to groq and xai, role operator, made by the bootstrap admin through tokens.create. */
let scoped: { id: string; token: string };
let scopedPrincipal: Principal;

async function load() {
  return {
    trpc: await import('~/app/api/trpc/[trpc]/route'),
    invalidate: await import('~/app/api/admin/invalidate-cache/route'),
    services: (await import('~/server/app/services')).getServices(),
  };
}


function cli(args: string[], token: string): Promise<CliRun> {
  return runCli(args, { url: base, token, timeoutMs: 50_000 });
}

/** Everything an invalidation could have written: the catalog's keys and values, the jobs, the history. */
async function snapshot() {
  const redis = client();
  const keys = (await keysUnder(redis, ns.catalogPrefix)).sort();
  const values = await Promise.all(keys.map(async (k) => [k, (await redis.dumpBuffer(k))?.toString('base64')]));
  const history = await r.services.invalidation.history({ limit: 100 });
  const starts = (await r.services.audit.list({ limit: 100 })).items.filter((e) => e.action === 'invalidation.start');
  return { values, jobs: history.items.map((j) => j.id), starts: starts.length };
}

beforeAll(async () => {
  Object.assign(process.env, { REDIS_URL: redisUrl(), ADMIN_TOKEN, CATALOG_PREFIX: ns.catalogPrefix, ADMIN_PREFIX: ns.adminPrefix });
  r = await load();
  await r.services.cache.seed(['groq', 'xai', 'openai']);
  const admin = createCaller({ services: r.services, actor: bootstrapAdmin });
  scoped = await admin.tokens.create({ name: 'groq pipeline', role: 'operator', providers: ['groq', 'xai'] });
  const principal = await r.services.authenticate(new Headers({ authorization: `Bearer ${scoped.token}` }));
  if (!principal) throw new Error('the scoped token does not authenticate');
  scopedPrincipal = principal;
  served = await serveTrpc(r.trpc);
  base = served.base;
});

afterAll(async () => {
  await served.close();
  r.services.adminRedis.disconnect();
  r.services.catalogRedis.disconnect();
  r.services.hub.close();
  await closeAll();
});

const OUTSIDE = "Forbidden: provider openai is outside this credential's scope (this credential may act only on groq, xai)";
const ALL = 'Forbidden: "all" needs an unscoped credential; this credential may act only on groq, xai';

describe('a token scoped to providers', () => {
  it('carries its scope: the token list and its principal say which providers', async () => {
    expect(scopedPrincipal).toMatchObject({ role: 'operator', providers: ['groq', 'xai'] });
    const admin = createCaller({ services: r.services, actor: bootstrapAdmin });
    expect((await admin.tokens.list()).items.find((t) => t.id === scoped.id)).toMatchObject({ role: 'operator', providers: ['groq', 'xai'] });
  });

  it('is refused outside its scope at every door, naming the provider, with nothing written', async () => {
    const before = await snapshot();
    const scopedCaller = createCaller({ services: r.services, actor: scopedPrincipal });
    const refusal = (p: Promise<unknown>) => p.then(() => 'allowed', (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`);

    // tRPC, in process and over the route.
    expect(await refusal(scopedCaller.invalidation.start({ providers: ['groq', 'openai'] }))).toBe(`FORBIDDEN: ${OUTSIDE}`);
    expect(await refusal(scopedCaller.invalidation.preview({ providers: ['openai'] }))).toBe(`FORBIDDEN: ${OUTSIDE}`);
    expect(await refusal(scopedCaller.invalidation.start({ providers: 'all' }))).toBe(`FORBIDDEN: ${ALL}`);
    const overRoute = await r.trpc.POST(
      new Request(`${origin}/api/trpc/invalidation.start`, { method: 'POST', headers: { authorization: `Bearer ${scoped.token}`, 'content-type': 'application/json' }, body: '{"providers":["openai"],"mode":"soft","refresh":true}' }),
    );
    expect(overRoute.status).toBe(403);
    expect(await overRoute.text()).toContain('provider openai is outside');

    // REST: named providers, and none named (which means all).
    const rest = async (query: string) => {
      const res = await r.invalidate.POST(new Request(`${origin}/api/admin/invalidate-cache${query}`, { method: 'POST', headers: { authorization: `Bearer ${scoped.token}` } }));
      return [res.status, ((await res.json()) as { error?: string }).error];
    };
    expect(await rest('?providers=xai,openai')).toEqual([403, OUTSIDE]);
    expect(await rest('')).toEqual([403, ALL]);

    // The CLI, through the tRPC route: refused in the same words, exit 3, no hint about roles.
    const run = await cli(['invalidate', 'openai', '--json'], scoped.token);
    expect(run.code, run.stderr).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'FORBIDDEN', httpStatus: 403, message: OUTSIDE } });

    expect(await snapshot()).toEqual(before);
    // Each of the 7 refusals is in the trail (the others' stream), in its words.
    const refused = (await r.services.audit.list({ limit: 100, action: 'call.refused' })).items.filter((e) => e.actorName === 'groq pipeline');
    expect(refused).toHaveLength(7);
    expect(new Set(refused.map((e) => e.details?.reason))).toEqual(new Set([OUTSIDE, ALL]));
  });

  it('acts inside its scope: tRPC, REST and the CLI start jobs', async () => {
    const scopedCaller = createCaller({ services: r.services, actor: scopedPrincipal });
    expect(await scopedCaller.invalidation.preview({ providers: ['groq'] })).toMatchObject({ providers: [expect.objectContaining({ provider: 'groq' })] });
    expect(await scopedCaller.invalidation.start({ providers: ['groq'], mode: 'soft', refresh: true })).toMatchObject({ jobId: expect.any(String) });
    const res = await r.invalidate.POST(new Request(`${origin}/api/admin/invalidate-cache?providers=xai`, { method: 'POST', headers: { authorization: `Bearer ${scoped.token}` } }));
    expect(res.status).toBe(202);
    const run = await cli(['invalidate', 'groq,xai', '--json'], scoped.token);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ jobId: expect.any(String) });
  });

  it('reads everything: other providers, every job in the history and its detail', async () => {
    const admin = createCaller({ services: r.services, actor: bootstrapAdmin });
    const { jobId } = await admin.invalidation.start({ providers: ['openai'] });
    const scopedCaller = createCaller({ services: r.services, actor: scopedPrincipal });
    expect((await scopedCaller.providers.list()).map((p) => p.name)).toEqual(expect.arrayContaining(['groq', 'xai', 'openai']));
    expect((await scopedCaller.invalidation.history({ limit: 100 })).items.map((j) => j.id)).toContain(jobId);
    expect(await scopedCaller.invalidation.get({ jobId })).toMatchObject({ id: jobId, request: { providers: ['openai'] } });
    expect(await scopedCaller.providers.catalog({ provider: 'openai' })).toBeDefined();
  });

  it('"all" and any provider for an unscoped operator', async () => {
    const admin = createCaller({ services: r.services, actor: bootstrapAdmin });
    const { token } = await admin.tokens.create({ name: 'unscoped pipeline', role: 'operator' });
    const principal = await r.services.authenticate(new Headers({ authorization: `Bearer ${token}` }));
    if (!principal) throw new Error('no principal');
    expect(principal.providers).toBeUndefined();
    expect(await createCaller({ services: r.services, actor: principal }).invalidation.start({ providers: 'all' })).toMatchObject({ jobId: expect.any(String) });
  });
});

describe('a token never gets more than its maker', () => {
  it('a scoped operator makes no token at all (tokens are an admin\'s), nor an account', async () => {
    const scopedCaller = createCaller({ services: r.services, actor: scopedPrincipal });
    const refusal = (p: Promise<unknown>) => p.then(() => 'allowed', (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`);
    const asOperator = 'FORBIDDEN: Forbidden: only an admin may do this; you are signed in as an operator';
    expect(await refusal(scopedCaller.tokens.create({ name: 'wider', role: 'operator' }))).toBe(asOperator);
    expect(await refusal(scopedCaller.tokens.create({ name: 'admin', role: 'admin' }))).toBe(asOperator);
    expect(await refusal(scopedCaller.tokens.create({ name: 'narrower', role: 'viewer', providers: ['groq'] }))).toBe(asOperator);
    expect(await refusal(scopedCaller.accounts.create({ username: 'someone', role: 'operator' }))).toBe(asOperator);
  });

  it('an admin is never scoped; a scope holds only provider names, each once', async () => {
    const admin = createCaller({ services: r.services, actor: bootstrapAdmin });
    const refusal = (p: Promise<unknown>) => p.then(() => 'allowed', (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`);
    expect(await refusal(admin.tokens.create({ name: 'scoped admin', role: 'admin', providers: ['groq'] }))).toMatch(/^BAD_REQUEST: [\s\S]*an admin cannot be scoped to providers/);
    expect(await refusal(admin.accounts.create({ username: 'scoped-admin', role: 'admin', providers: ['groq'] }))).toMatch(/^BAD_REQUEST: [\s\S]*an admin cannot be scoped to providers/);
    expect(await refusal(admin.tokens.create({ name: 'glob', role: 'operator', providers: ['gr*'] }))).toMatch(/^BAD_REQUEST: [\s\S]*provider name must be/);
    expect(await refusal(admin.tokens.create({ name: 'twice', role: 'operator', providers: ['groq', 'groq'] }))).toMatch(/^BAD_REQUEST: [\s\S]*names a provider twice/);
    expect(await refusal(admin.tokens.create({ name: 'empty', role: 'operator', providers: [] }))).toMatch(/^BAD_REQUEST: [\s\S]*providers is empty/);
  });

  it('a scoped account signs in with its scope', async () => {
    const admin = createCaller({ services: r.services, actor: bootstrapAdmin });
    const { account, initialPassword } = await admin.accounts.create({ username: 'xai-ops', role: 'operator', providers: ['xai'] });
    expect(account).toMatchObject({ role: 'operator', providers: ['xai'] });
    const from = { address: '203.0.113.5', limitAddress: '203.0.113.5', userAgent: 'vitest', hasSessionCookie: false, sameOrigin: true };
    const signedIn = await r.services.signIn('xai-ops', initialPassword, from);
    if (!signedIn.ok) throw new Error('sign-in failed');
    const principal = await r.services.authenticate(new Headers({ cookie: `catalog_admin_session=${signedIn.sessionId}` }));
    expect(principal).toMatchObject({ username: 'xai-ops', providers: ['xai'] });
  });
});
