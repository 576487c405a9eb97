/**
 * The click as an admin makes it, and live fan-out, through the doors a user comes in by: HTTP
 * against a real `next start` of the build, whose Redis (admin and catalog alike) sits behind the
 * delay proxy. Authenticated with the bootstrap token (Bearer) and with a session cookie (signed in
 * at /api/auth/login), at 1, 18 and 1,000 providers.
 *
 * - ack: POST invalidation.start until its answer (the job id) arrives.
 * - terminal: from the same POST until a subscription opened on that answer receives `completed`.
 * - fan-out: F `activity.feed` streams open; from the POST until each receives its job's first event
 *   (proxy delay 0: loopback), p50 and p99 over every follower of every run.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCatalogCache } from '~/server/catalog/cache';
import { registryFromConfig } from '~/server/catalog/sources/registry';
import { connect } from '~/server/redis/connection';
import { catalogKeys } from '~/server/redis/keys';
import { buildIfStale } from './files';
import { benchReadPath, type ReadPathOptions, type ReadPathRow } from './bench-read';
import { sampleModels, startModelSource } from './model-source';
import { startRedisProxy } from './redis-proxy';
import { freePort, startRedisServer } from './redis-server';
import { openSse } from './sse';

export const TOKEN = 'bench-http-admin-token-0123456789abcdef';

export interface HttpClickRow {
  providers: number;
  auth: 'token' | 'session';
  delayMs: number;
  ackMs: number;
  terminalMs: number;
  /** Redis round trips the proxy counted, summed over every connection, from the POST to its answer / to `completed`. */
  tripsAck: number;
  tripsTerminal: number;
  runs: number;
}

export interface FanoutRow {
  followers: number;
  p50Ms: number;
  p99Ms: number;
  samples: number;
}

const median = (v: number[]) => quantile(v, 0.5);
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

const names = (count: number) => Array.from({ length: count }, (_, i) => `p${String(i + 1).padStart(4, '0')}`);

export async function benchHttp(options: { delayMs: number; counts: number[]; runs: number; followers: number[]; read: ReadPathOptions }): Promise<{ clicks: HttpClickRow[]; fanout: FanoutRow[]; reads: ReadPathRow[] }> {
  const root = process.cwd();
  if (!buildIfStale(root)) throw new Error('next build failed');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'catalog-bench-http-'));
  const redis = await startRedisServer({ dir });
  const proxy = await startRedisProxy({ target: { host: '127.0.0.1', port: redis.port } });
  const source = await startModelSource();
  const all = names(Math.max(...options.counts));
  const providerSources = source.config(all);
  const control = connect(redis.url, 'bench-control');
  const cache = createCatalogCache({ redis: control, keys: catalogKeys('catalog:'), registry: registryFromConfig(providerSources), ttlSeconds: 3600, leaseMs: 5000, waitMs: 5000 });
  let app: App | undefined;
  try {
    app = await startApp({
      REDIS_URL: proxy.url,
      PROVIDER_SOURCES: providerSources,
      // Each run is a first click: no repeat window, no rate limit in the way, room for the fan-out's streams.
      COALESCE_WINDOW_MS: '0',
      INVALIDATIONS_PER_ACTOR_PER_MINUTE: '100000',
      INVALIDATIONS_PER_MINUTE: '1000000',
      STREAMS_PER_PRINCIPAL: String(Math.max(...options.followers) + 10),
    });
    const base = app.base;
    await cache.seed(all);
    const cookie = await signIn(base);
    const auths = { token: { authorization: `Bearer ${TOKEN}` }, session: { cookie, origin: base } };
    const clicks: HttpClickRow[] = [];
    for (const count of options.counts) {
      const providers = names(count);
      for (const auth of ['token', 'session'] as const) {
        const samples: { ack: number; terminal: number; tripsAck: number; tripsTerminal: number }[] = [];
        for (let run = -1; run < options.runs; run++) {
          await cache.seed(providers); // untimed: each run deletes what a gateway would have cached
          proxy.setDelay(options.delayMs);
          const sample = await click(base, auths[auth], providers, proxy);
          proxy.setDelay(0);
          if (run >= 0) samples.push(sample); // run -1 warms the route and the connections
        }
        clicks.push({
          providers: count,
          auth,
          delayMs: options.delayMs,
          ackMs: median(samples.map((s) => s.ack)),
          terminalMs: median(samples.map((s) => s.terminal)),
          tripsAck: median(samples.map((s) => s.tripsAck)),
          tripsTerminal: median(samples.map((s) => s.tripsTerminal)),
          runs: samples.length,
        });
        console.error(`  http click, ${count} providers, ${auth}: ack ${clicks.at(-1)?.ackMs.toFixed(0)} ms, terminal ${clicks.at(-1)?.terminalMs.toFixed(0)} ms`);
      }
    }
    const fanout: FanoutRow[] = [];
    for (const followers of options.followers) fanout.push(await fanOut(base, auths.token, followers, options.runs, control));
    // The read path: this instance (tier on, the default) and a second one with PROCESS_TIER_MAX_ENTRIES=0, one after the other.
    const readProviders = all.slice(0, options.read.providers);
    for (const name of readProviders) source.set(name, { models: sampleModels(name, options.read.models) });
    await cache.seed(readProviders);
    const off = await startApp({ REDIS_URL: proxy.url, PROVIDER_SOURCES: providerSources, PROCESS_TIER_MAX_ENTRIES: '0' });
    try {
      const reads = await benchReadPath({ on: base, off: off.base }, readProviders, proxy, options.read);
      return { clicks, fanout, reads };
    } finally {
      await off.stop();
    }
  } finally {
    await app?.stop();
    control.disconnect();
    await Promise.all([proxy.close(), source.close()]);
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A `next start` of the build on a free port, with the bench's token and these variables; resolves once /api/health answers. */
export interface App {
  base: string;
  stop(): Promise<void>;
}

export async function startApp(env: Record<string, string>): Promise<App> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const next = spawn(process.execPath, [path.join('node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', NEXT_MANUAL_SIG_HANDLE: 'true', ADMIN_TOKEN: TOKEN, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(next, 'exit');
  const stop = async () => {
    next.kill('SIGKILL');
    await exited;
  };
  try {
    for (let i = 0; ; i++) {
      if (next.exitCode !== null) throw new Error('next start exited');
      const ok = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 300) throw new Error('next start did not answer in 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { base, stop };
}

async function signIn(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ password: TOKEN }).toString(),
  });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!cookie.includes('=')) throw new Error(`sign-in failed: ${res.status}`);
  return cookie;
}

async function start(base: string, auth: Record<string, string>, providers: string[]): Promise<string> {
  const res = await fetch(`${base}/api/trpc/invalidation.start`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ providers, cacheType: 'models', cascade: true }),
  });
  const body = (await res.json()) as { result?: { data: { jobId: string } } };
  if (!body.result) throw new Error(`invalidation.start: ${res.status} ${JSON.stringify(body)}`);
  return body.result.data.jobId;
}

async function click(base: string, auth: Record<string, string>, providers: string[], proxy: { resetCounters(): void; roundTrips(): number }) {
  proxy.resetCounters();
  const t0 = performance.now();
  const jobId = await start(base, auth, providers);
  const ack = performance.now() - t0;
  const tripsAck = proxy.roundTrips();
  const controller = new AbortController();
  let terminal = NaN;
  let resolveDone = () => {};
  const finished = new Promise<void>((r) => (resolveDone = r));
  const input = encodeURIComponent(JSON.stringify({ jobId }));
  const stream = await openSse(`${base}/api/trpc/invalidation.events?input=${input}`, auth, controller.signal, (e) => {
    if (/"type":"(completed|failed)"/.test(e.data)) {
      terminal = performance.now() - t0;
      resolveDone();
    }
  });
  if (stream.status !== 200) throw new Error(`invalidation.events: ${stream.status}`);
  await finished;
  const tripsTerminal = proxy.roundTrips();
  await stream.close();
  return { ack, terminal, tripsAck, tripsTerminal };
}

async function fanOut(base: string, auth: Record<string, string>, followers: number, runs: number, control: ReturnType<typeof connect>): Promise<FanoutRow> {
  const controller = new AbortController();
  const firstSeen: Map<string, number>[] = [];
  let probes = 0;
  const streams = [];
  for (let i = 0; i < followers; i++) {
    const seen = new Map<string, number>();
    firstSeen.push(seen);
    streams.push(
      await openSse(`${base}/api/trpc/activity.feed`, auth, controller.signal, (e) => {
        const at = performance.now();
        if (!e.data.startsWith('{')) return;
        const a = JSON.parse(e.data) as { kind: string; jobId?: string; providers?: string[] };
        if (a.kind === 'catalog' && a.providers?.[0] === '--probe--') probes += 1;
        if (a.kind === 'job' && a.jobId && !seen.has(a.jobId)) seen.set(a.jobId, at);
      }),
    );
  }
  // Every feed listens once a probe published straight to Redis has reached all of them.
  for (let i = 0; probes < followers; i++) {
    if (i > 200) throw new Error(`only ${probes} of ${followers} feeds answered the probe`);
    probes = 0;
    await control.publish('cacheadmin:activity', JSON.stringify({ kind: 'catalog', reason: 'seeded', providers: ['--probe--'], at: 0 }));
    await new Promise((r) => setTimeout(r, 50));
  }
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    const jobId = await start(base, auth, [`p${String(run + 1).padStart(4, '0')}`]);
    for (let i = 0; firstSeen.some((s) => !s.has(jobId)); i++) {
      if (i > 500) throw new Error('a feed never saw the job');
      await new Promise((r) => setTimeout(r, 10));
    }
    samples.push(...firstSeen.map((s) => (s.get(jobId) ?? NaN) - t0));
  }
  await Promise.all(streams.map((s) => s.close()));
  return { followers, p50Ms: quantile(samples, 0.5), p99Ms: quantile(samples, 0.99), samples: samples.length };
}
