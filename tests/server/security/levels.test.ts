/**
 * Authorization in one place, proven by walking everything: every tRPC procedure and every route
 * handler declares a level, and refuses every caller below it (UNAUTHORIZED/401 for nobody, a
 * forged cookie or a revoked token; FORBIDDEN/403 for a viewer on an admin door and for an account
 * that has not changed its initial password), walked with each role (viewer, operator, admin) and a
 * credential scoped to providers. Every state-changing procedure and route a scoped credential reaches
 * has its scope decided (out of scope is FORBIDDEN naming the provider). A procedure or route added
 * without a level, or without a scope decision, fails here.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows, type Level, type Principal } from '~/server/identity/schema';
import { appRouter, createCaller } from '~/server/trpc/root';
import { adminAccount, operatorAccount, pendingPassword, viewerAccount } from '../../support/principals';
import { closeAll, harness, namespace, redisUrl } from '../../support/redis';

const TOKEN = 'levels-admin-token-0123456789abcdef';
const ns = namespace();
const origin = 'http://localhost:3000';

type Procedure = { _def: { meta?: { level?: Level }; type: 'query' | 'mutation' | 'subscription' } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);
const level = (p: Procedure): Level => p._def.meta?.level ?? 'public';

/** Calls `path` (e.g. "invalidation.start") on a caller, with no input by default: the level check runs before parsing. */
async function call(actor: Principal | null, procedurePath: string, input?: unknown): Promise<unknown> {
  const h = harness();
  const caller = createCaller({ services: h, actor }) as unknown as Record<string, Record<string, (input?: unknown) => Promise<unknown>>>;
  const [group = '', name = ''] = procedurePath.split('.');
  return caller[group]?.[name]?.(input).then(
    () => null,
    (e: unknown) => e,
  );
}

/**
 * The levels as reviewed: a new procedure must be added here, and a level lowered by mistake (say,
 * invalidation.start to viewer) fails here too.
 */
const EXPECTED: Record<string, Level> = {
  'providers.list': 'viewer',
  // Operators (issue 25): preview, invalidate and refresh (a refresh is a start with `refresh`).
  'invalidation.start': 'operator',
  'invalidation.get': 'viewer',
  'invalidation.history': 'viewer',
  // The shared Jobs view (issue 24): everyone's running and recent jobs, a viewer's read like the history.
  'invalidation.recent': 'viewer',
  'invalidation.events': 'viewer',
  // One stream per page (issue 14): several jobs' events, a viewer's read like one job's.
  'invalidation.jobsEvents': 'viewer',
  'activity.feed': 'viewer',
  'session.me': 'viewer',
  'session.signOutEverywhere': 'viewer',
  'accounts.list': 'admin',
  'accounts.create': 'admin',
  'accounts.disable': 'admin',
  'accounts.enable': 'admin',
  'tokens.create': 'admin',
  'tokens.list': 'admin',
  'tokens.revoke': 'admin',
  'audit.list': 'admin',
  // Preview, refresh and schedules (issue 8): reading the catalog and the schedules is a viewer's;
  // the preview is the first step of an admin's invalidation; changing schedules is an admin's.
  'providers.catalog': 'viewer',
  'invalidation.preview': 'operator',
  'schedules.list': 'viewer',
  'schedules.preview': 'admin',
  'schedules.save': 'admin',
  'schedules.remove': 'admin',
  // Operations (issue 15): a job's webhook deliveries are part of its detail, a viewer's read.
  'webhooks.deliveries': 'viewer',
  // Confirmations (issue 14): the live instances are cache state, a viewer's read.
  'instances.list': 'viewer',
  // The catalog guard (issue 23): the policy and the held candidates are a viewer's to read; changing
  // the policy is an admin's; approving or rejecting a candidate an operator's (issue 25), within its scope.
  'policy.get': 'viewer',
  'policy.save': 'admin',
  'catalog.held': 'viewer',
  'catalog.changes': 'viewer',
  'catalog.approve': 'operator',
  'catalog.reject': 'operator',
  // Per-model overrides: a viewer's to read, an admin's to change.
  'catalog.overrides': 'viewer',
  'catalog.saveOverride': 'admin',
  'catalog.removeOverride': 'admin',
};
const EXPECTED_ROUTES: Record<string, Level> = {
  'admin/audit/route.ts GET': 'admin',
  'admin/invalidate-cache/route.ts POST': 'operator',
  'admin/invalidations/[jobId]/route.ts GET': 'viewer',
  'auth/login/route.ts GET': 'public',
  'auth/login/route.ts POST': 'public',
  'auth/logout/route.ts POST': 'public',
  'auth/oidc/start/route.ts GET': 'public',
  'auth/oidc/callback/route.ts GET': 'public',
  'auth/password/route.ts POST': 'viewer',
  'catalog/models/route.ts GET': 'public',
  'health/route.ts GET': 'public',
  // Operations (issue 15): readiness reveals no data; metrics are an admin's (or METRICS_TOKEN's).
  'ready/route.ts GET': 'public',
  'metrics/route.ts GET': 'admin',
  'trpc/[trpc]/route.ts GET': 'public',
  'trpc/[trpc]/route.ts POST': 'public',
};

describe('every tRPC procedure', () => {
  it('declares the level it was reviewed with', () => {
    const declared = Object.fromEntries(procedures.map(([name, p]) => [name, p._def.meta?.level]));
    expect(declared).toEqual(EXPECTED);
  });

  it.each(procedures.filter(([, p]) => p._def.meta?.level !== 'public'))('%s refuses every caller below its level', async (name, procedure) => {
    expect(await call(null, name)).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await call(pendingPassword, name)).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/initial password/) });
    // Each role at each procedure: refused below the level, let through (to input parsing) at or above it.
    // A scoped operator passes the same levels (its scope is checked on the parsed input: tests/http/scopes.test.ts).
    for (const principal of [viewerAccount, operatorAccount, { ...operatorAccount, providers: ['groq'] }, adminAccount]) {
      const answer = await call(principal, name);
      if (allows(principal.role, level(procedure))) expect(answer, `${name} as ${principal.role}`).not.toMatchObject({ code: expect.stringMatching(/UNAUTHORIZED|FORBIDDEN/) });
      else expect(answer, `${name} as ${principal.role}`).toMatchObject({ code: 'FORBIDDEN' });
    }
  });
});

/**
 * What a credential scoped to providers may do, decided per procedure: every procedure such a
 * credential reaches that changes state, or that is an operator's, is listed with an input naming a
 * provider outside the scope (it must be refused, naming it, before anything is written), or with
 * null when it acts on no provider. Reads are shown in full to a scoped credential (reading is not the
 * risk) and are not listed. A new such procedure without a decision here fails.
 */
const SCOPED: Record<string, unknown> = {
  'invalidation.start': { providers: ['groq', 'openai'] },
  'invalidation.preview': { providers: ['openai'] },
  'catalog.approve': { provider: 'openai', id: 'candidate-1' },
  'catalog.reject': { provider: 'openai', id: 'candidate-1' },
  'session.signOutEverywhere': null, // one's own sessions
};
const scopedOperator: Principal = { ...operatorAccount, providers: ['groq'] };

describe('every procedure a scoped credential reaches', () => {
  it('has its scope decided: acts on providers within the scope, or on none', () => {
    const reached = procedures.filter(([, p]) => p._def.meta?.level !== 'public' && allows('operator', level(p)) && (p._def.type === 'mutation' || level(p) === 'operator'));
    expect(reached.map(([name]) => name).sort()).toEqual(Object.keys(SCOPED).sort());
  });

  it.each(Object.entries(SCOPED).filter(([, input]) => input !== null))('%s refuses a provider outside the scope, naming it, and lets the same credential act within it', async (name, input) => {
    expect(await call(scopedOperator, name, input)).toMatchObject({ code: 'FORBIDDEN', message: "Forbidden: provider openai is outside this credential's scope (this credential may act only on groq)" });
    const inside = JSON.parse(JSON.stringify(input).replaceAll('openai', 'groq')) as unknown;
    expect(await call(scopedOperator, name, inside)).not.toMatchObject({ code: 'FORBIDDEN' });
  });
});

// ---- Route handlers, called as Next calls them, with real credentials made by the real services.
type RouteModule = Record<string, unknown>;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const apiDir = path.join(process.cwd(), 'app', 'api');
const routeFiles = (readdirSync(apiDir, { recursive: true }) as string[]).filter((f) => f.endsWith('route.ts')).sort();
const credentials: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  Object.assign(process.env, { REDIS_URL: redisUrl(), ADMIN_TOKEN: TOKEN, CATALOG_PREFIX: ns.catalogPrefix, ADMIN_PREFIX: ns.adminPrefix });
  const { getServices } = await import('~/server/app/services');
  const s = getServices();
  const admin = { principal: { kind: 'token' as const, label: 'x', role: 'admin' as const, name: 'root', bootstrap: true, mustChangePassword: false }, info: { address: 't', userAgent: '' } };
  const viewer = await s.access.createToken(admin, 'viewer script', 'viewer');
  const operator = await s.access.createToken(admin, 'deploy pipeline', 'operator');
  const scoped = await s.access.createToken(admin, 'groq pipeline', 'operator', ['groq']);
  const adminToken = await s.access.createToken(admin, 'admin script', 'admin');
  const revoked = await s.access.createToken(admin, 'old script', 'admin');
  await s.access.revokeToken(admin, revoked.id);
  const pending = await s.access.createAccount(admin, 'newbie', 'admin');
  const signedIn = await s.signIn('newbie', pending.initialPassword, { address: 't', limitAddress: 't', userAgent: '', hasSessionCookie: false, sameOrigin: true });
  if (!signedIn.ok) throw new Error('could not sign in');
  Object.assign(credentials, {
    nobody: {},
    forgedCookie: { cookie: 'catalog_admin_session=forged-session-value-0123456789abcdefghijklm', origin },
    revokedToken: { authorization: `Bearer ${revoked.token}` },
    viewer: { authorization: `Bearer ${viewer.token}` },
    operator: { authorization: `Bearer ${operator.token}` },
    scopedOperator: { authorization: `Bearer ${scoped.token}` },
    admin: { authorization: `Bearer ${adminToken.token}` },
    pendingPassword: { cookie: `catalog_admin_session=${signedIn.sessionId}`, origin },
  });
});

afterAll(async () => {
  const { getServices } = await import('~/server/app/services');
  getServices().adminRedis.disconnect();
  getServices().catalogRedis.disconnect();
  await closeAll();
});

const params = { params: Promise.resolve({ jobId: '0000000000000000000', trpc: 'providers.list' }) };

describe('every route handler', () => {
  it('finds every route file and method, and only those reviewed', async () => {
    const found: string[] = [];
    for (const file of routeFiles) {
      const mod = (await import(path.join(apiDir, file))) as RouteModule;
      for (const method of METHODS) if (typeof mod[method] === 'function') found.push(`${file} ${method}`);
    }
    expect(found.sort()).toEqual(Object.keys(EXPECTED_ROUTES).sort());
  });

  it.each(routeFiles)('%s declares a level on each method and refuses callers below it', async (file) => {
    const mod = (await import(path.join(apiDir, file))) as RouteModule;
    const handlers = METHODS.filter((m) => typeof mod[m] === 'function');
    expect(handlers.length).toBeGreaterThan(0);
    for (const method of handlers) {
      const handler = mod[method] as ((req: Request, ctx: unknown) => Promise<Response>) & { level?: Level };
      expect(handler.level, `${file} ${method} declares no level, or another than reviewed`).toBe(EXPECTED_ROUTES[`${file} ${method}`]);
      if (handler.level === 'public') continue;
      // A query no route accepts as an invalidation: a caller let through is refused at parsing, and starts nothing.
      const status = async (who: string) => (await handler(new Request(`${origin}/api/x?cache_type=not-a-type`, { method, headers: credentials[who] }), params)).status;
      for (const who of ['nobody', 'forgedCookie', 'revokedToken']) expect(await status(who), `${file} ${method} as ${who}`).toBe(401);
      // The password form is the one door open to an account still on its initial password.
      if (file.includes('password')) expect([401, 403]).not.toContain(await status('pendingPassword'));
      else expect(await status('pendingPassword'), `${file} ${method} with an initial password`).toBe(403);
      // Each role below the level is 403; at or above it, the request gets past the door (whatever it then answers).
      for (const [who, role] of [['viewer', 'viewer'], ['operator', 'operator'], ['scopedOperator', 'operator'], ['admin', 'admin']] as const) {
        const got = await status(who);
        if (allows(role, handler.level ?? 'public')) expect([401, 403], `${file} ${method} as ${who}`).not.toContain(got);
        else expect(got, `${file} ${method} as ${who}`).toBe(403);
      }
    }
  });

  it('has the scope of each state-changing route a scoped credential reaches decided, and refuses a provider outside it', async () => {
    // The query naming a provider outside the scope (groq), or null when the route acts on no provider.
    const SCOPED_ROUTES: Record<string, string | null> = {
      'admin/invalidate-cache/route.ts POST': '?providers=openai',
      'auth/password/route.ts POST': null, // one's own password
    };
    const reached: string[] = [];
    for (const file of routeFiles) {
      const mod = (await import(path.join(apiDir, file))) as RouteModule;
      for (const method of METHODS.filter((m) => m !== 'GET')) {
        const handler = mod[method] as { level?: Level } | undefined;
        if (handler?.level && handler.level !== 'public' && allows('operator', handler.level)) reached.push(`${file} ${method}`);
      }
    }
    expect(reached.sort()).toEqual(Object.keys(SCOPED_ROUTES).sort());
    for (const [key, query] of Object.entries(SCOPED_ROUTES)) {
      if (query === null) continue;
      const [file = '', method = ''] = key.split(' ');
      const handler = ((await import(path.join(apiDir, file))) as RouteModule)[method] as (req: Request, ctx: unknown) => Promise<Response>;
      const res = await handler(new Request(`${origin}/api/x${query}`, { method, headers: credentials.scopedOperator }), params);
      expect(res.status, key).toBe(403);
      expect(await res.text()).toContain("provider openai is outside this credential's scope");
    }
  });

  it('the tRPC route refuses a viewer calling an admin mutation (403) and nobody calling a query (401), over HTTP', async () => {
    const { POST, GET } = await import('~/app/api/trpc/[trpc]/route');
    const start = await POST(
      new Request(`${origin}/api/trpc/invalidation.start`, { method: 'POST', headers: { ...credentials.viewer, 'content-type': 'application/json' }, body: '{"providers":"all"}' }),
    );
    expect(start.status).toBe(403);
    expect(await start.text()).toContain('FORBIDDEN');
    expect((await GET(new Request(`${origin}/api/trpc/providers.list`))).status).toBe(401);
  });
});
