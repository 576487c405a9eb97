/**
 * The Playwright web server: private Redis servers, a seeded catalog behind a fault-injecting
 * proxy, `next start` on E2E_PORT, and a control API on E2E_CONTROL_PORT that tests use to pause,
 * stop, restart and reseed the catalog Redis. Needs a finished `next build`.
 *
 *   POST /catalog/pause | /catalog/resume   hold or release traffic to the catalog Redis
 *   POST /catalog/stop  | /catalog/start    stop its redis-server, or start it again (empty, same port)
 *   POST /catalog/reseed                    flush it and write every provider's keys again
 *   POST /catalog/reset                     resume + start if stopped + reseed (for beforeEach)
 *   POST /source/<provider>                 set what the loopback model source answers for
 *                                           SOURCE_PROVIDER (JSON body: models, delayMs, status, body, hold)
 *   POST /source/<provider>/release         answer the requests held by `hold` (and stop holding)
 *
 * Single sign-on goes to a real identity provider on loopback (oidc-provider, tests/support/oidc-idp.ts),
 * started here before the app, which is configured for it (OIDC_*; the e2e/sso spec).
 *
 * SOURCE_PROVIDER's catalog comes from that source (PROVIDER_SOURCES); `reset` restores its answer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { ADMIN_TOKEN, APP_ENVIRONMENT, BASE_URL, CONTROL_PORT, E2E_PORT, OIDC_CLIENT, OIDC_GROUPS, OIDC_NAME, SOURCE_PROVIDER } from '../e2e/fixtures';
import { createCatalogCache } from '../server/catalog/cache';
import { registryFromConfig } from '../server/catalog/sources/registry';
import { DEFAULT_POLICY } from '../server/guard/schema';
import { adminKeys, catalogKeys } from '../server/redis/keys';
import { startRedisServer, type PrivateRedis } from './lib/redis-server';
import { startModelSource, type ModelSource, type SourceBehaviour } from './lib/model-source';
import { startRedisProxy, type RedisProxy } from './lib/redis-proxy';
import { startIdp, type TestIdp } from '../tests/support/oidc-idp';

const root = process.cwd();
if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
  console.error('[e2e-server] .next/BUILD_ID is missing: run `npx next build` before the e2e suite.');
  process.exit(1);
}

const dir = mkdtempSync(path.join(tmpdir(), 'catalog-e2e-'));
const catalogDir = path.join(dir, 'catalog');
let admin: PrivateRedis | undefined;
let catalog: PrivateRedis | undefined;
let catalogPort = 0;
let proxy: RedisProxy | undefined;
let next: ChildProcess | undefined;
let control: http.Server | undefined;
let source: ModelSource | undefined;
let idp: TestIdp | undefined;
let providerSources: string | undefined;
let cleaning = false;

async function reseed(): Promise<void> {
  const redis = new Redis(catalogPort, '127.0.0.1', { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    await redis.flushdb();
    const cache = createCatalogCache({ redis, keys: catalogKeys('catalog:'), registry: registryFromConfig(providerSources), ttlSeconds: 3600, leaseMs: 5000, waitMs: 5000 });
    await cache.seed();
  } finally {
    redis.disconnect();
  }
}

/**
 * The catalog guard is on, with its defaults, except that SOURCE_PROVIDER may lose half its models:
 * the refresh spec replaces one of its two models (50 %), which the default (20 %) would hold. Prices
 * ×10 and more are still held (the guard spec).
 */
async function allowRefreshSpec(url: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const policy = { ...DEFAULT_POLICY, providers: { [SOURCE_PROVIDER]: { maxRemovedPercent: { limit: 50, action: 'hold' as const } } } };
    await redis.set(adminKeys('cacheadmin:').guardPolicy, JSON.stringify(policy));
  } finally {
    redis.disconnect();
  }
}

async function startCatalog(): Promise<void> {
  if (catalog && catalog.process.exitCode === null) return;
  catalog = await startRedisServer({ dir: catalogDir, port: catalogPort || undefined });
  catalogPort = catalog.port;
}

const actions: Record<string, () => Promise<void> | void> = {
  '/catalog/pause': () => proxy?.pause(),
  '/catalog/resume': () => proxy?.resume(),
  '/catalog/stop': async () => {
    await catalog?.stop();
    catalog = undefined;
  },
  '/catalog/start': startCatalog,
  '/catalog/reseed': reseed,
  '/catalog/reset': async () => {
    source?.release(SOURCE_PROVIDER);
    source?.set(SOURCE_PROVIDER, {});
    proxy?.resume();
    await startCatalog();
    await reseed();
  },
};

/** POST /source/<provider>: the JSON body becomes what the loopback source answers for it. */
function setSource(req: http.IncomingMessage, res: http.ServerResponse, provider: string): void {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    try {
      source?.set(provider, JSON.parse(body || '{}') as SourceBehaviour);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } catch (err) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(err) }));
    }
  });
}

function serveControl(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const sourceFor = /^\/source\/([a-z0-9._-]+)$/.exec(req.url ?? '')?.[1];
    if (req.method === 'POST' && sourceFor) return void setSource(req, res, sourceFor);
    const releaseFor = /^\/source\/([a-z0-9._-]+)\/release$/.exec(req.url ?? '')?.[1];
    if (req.method === 'POST' && releaseFor) {
      source?.release(releaseFor);
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    }
    const action = req.method === 'POST' ? actions[req.url ?? ''] : undefined;
    if (!action) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `no such action: ${req.method} ${req.url}` }));
      return;
    }
    Promise.resolve(action()).then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
      (err: unknown) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(err) })),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(CONTROL_PORT, '127.0.0.1', () => resolve(server));
  });
}

let cleaned: Promise<void> | undefined;

/** Idempotent: every path out (signals, a crashed start, next exiting) ends here exactly once. */
async function cleanup(code: number): Promise<void> {
  cleaned ??= shutdown();
  await cleaned;
  process.exit(code);
}

async function shutdown(): Promise<void> {
  cleaning = true;
  if (next && next.exitCode === null) {
    next.kill('SIGTERM');
    await Promise.race([new Promise((r) => next?.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
    if (next.exitCode === null) next.kill('SIGKILL');
  }
  control?.close();
  await proxy?.close();
  await source?.close();
  await idp?.close();
  await Promise.all([admin?.stop(), catalog?.stop()]);
  rmSync(dir, { recursive: true, force: true });
}

// `on`, not `once`: the group signal and tsx's relay of it both arrive; a second one must not kill us mid-cleanup.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void cleanup(0));
process.once('exit', () => {
  // Last resort when something called process.exit directly: nothing async runs here.
  if (next?.exitCode === null) next.kill('SIGKILL');
  for (const r of [admin, catalog]) if (r?.process.exitCode === null) r.process.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function main(): Promise<void> {
  admin = await startRedisServer({ dir: path.join(dir, 'admin') });
  await allowRefreshSpec(admin.url);
  await startCatalog();
  proxy = await startRedisProxy({ target: { host: '127.0.0.1', port: catalogPort } });
  source = await startModelSource();
  providerSources = source.config([SOURCE_PROVIDER]);
  await reseed();
  control = await serveControl();
  // The identity provider before the app: its discovery is read at the first sign-in.
  idp = await startIdp({ ...OIDC_CLIENT, redirectUri: `${BASE_URL}/api/auth/oidc/callback` });
  console.log(`[e2e-server] admin redis :${admin.port}, catalog redis :${catalogPort} via proxy :${proxy.port}, control :${CONTROL_PORT}, identity provider ${idp.issuer}`);

  next = spawn(path.join(root, 'node_modules', '.bin', 'next'), ['start', '-p', String(E2E_PORT), '-H', '127.0.0.1'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      REDIS_URL: admin.url,
      CATALOG_REDIS_URL: proxy.url,
      ADMIN_TOKEN,
      APP_ENVIRONMENT,
      PROVIDER_SOURCES: providerSources,
      // Schedules: a short tick and minimum period, so a test sees one fire within seconds.
      SCHEDULE_TICK_MS: '200',
      SCHEDULE_MIN_INTERVAL_SECONDS: '1',
      NEXT_MANUAL_SIG_HANDLE: 'true',
      // The browser stands in for a proxy: tests that need an address budget of their own send
      // X-Forwarded-For; the rest get the one next start writes from the socket (127.0.0.1).
      TRUSTED_PROXIES: '1',
      // Single sign-on through the identity provider above (the password form stays on for the other specs).
      APP_ORIGIN: BASE_URL,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: OIDC_CLIENT.clientId,
      OIDC_CLIENT_SECRET: OIDC_CLIENT.clientSecret,
      OIDC_NAME,
      OIDC_ADMIN_GROUPS: OIDC_GROUPS.admin,
      OIDC_OPERATOR_GROUPS: OIDC_GROUPS.operator,
      OIDC_VIEWER_GROUPS: OIDC_GROUPS.viewer,
    },
  });
  next.once('exit', (code) => {
    if (!cleaning) {
      console.error(`[e2e-server] next start exited (${code ?? 'signal'})`);
      void cleanup(1);
    }
  });
}

main().catch((err: unknown) => {
  console.error('[e2e-server] could not start:', err);
  void cleanup(1);
});
