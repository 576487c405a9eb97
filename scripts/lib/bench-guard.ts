/**
 * What the catalog guard costs a refresh (issue 23), through the door a user comes in by: a soft
 * invalidation with refresh of one provider, POSTed over HTTP to a real `next start` of the build
 * whose Redis sits behind the delay proxy, until a subscription on the answer receives `completed`.
 * Three cases, side by side, the same provider and source:
 *
 * - guard off (`CATALOG_GUARD=off`), an answer that breaks nothing (prices ×2 or ÷2, in turn);
 * - guard on, the same answers: published, and the goal is no extra Redis round trip;
 * - guard on, an answer ×1,000: held (the hold is the write).
 *
 * The two instances run one after the other on the same Redis (never both at once), their background
 * work slowed down (QUIET), so the proxy's count is the refresh's own: the job and its subscription.
 * Each measured run follows 5 s of quiet, so a guarded instance re-reads its policy (the worst case,
 * a refresh alone; the read overlaps the job's snapshot and fetch, `Judge.warm`).
 * Each run's outcome is checked (`refreshed`, or `held`) or the bench fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCatalogCache } from '~/server/catalog/cache';
import { registryFromConfig } from '~/server/catalog/sources/registry';
import { connect } from '~/server/redis/connection';
import { catalogKeys } from '~/server/redis/keys';
import { BenchCheckError } from './bench-cases';
import { startApp, TOKEN } from './bench-http';
import { buildIfStale } from './files';
import { startModelSource, type SourceModel } from './model-source';
import { startRedisProxy } from './redis-proxy';
import { startRedisServer } from './redis-server';
import { openSse } from './sse';

export interface GuardRow {
  guard: 'on' | 'off';
  case: 'passes' | 'held';
  /** The refresh's outcome every run reported. */
  outcome: string;
  /** POST until `completed` reaches the subscriber, median. */
  terminalMs: number;
  /** Redis round trips the proxy counted meanwhile, median. */
  roundTrips: number;
  runs: number;
}

export interface GuardBenchOptions {
  delayMs: number;
  runs: number;
  /** Models of the provider refreshed. */
  models: number;
}

const PROVIDER = 'guarded';

/**
 * No repeat window or rate limit in the way, and the instance's background work (heartbeats,
 * schedule and webhook ticks) at its slowest, so the proxy's count is the refresh's own.
 */
const QUIET = {
  COALESCE_WINDOW_MS: '0',
  INVALIDATIONS_PER_ACTOR_PER_MINUTE: '100000',
  INVALIDATIONS_PER_MINUTE: '1000000',
  INSTANCE_HEARTBEAT_MS: '60000',
  INSTANCE_TTL_MS: '600000',
  SCHEDULE_TICK_MS: '60000',
  WEBHOOK_TICK_MS: '60000',
  WEBHOOK_SWEEP_MS: '3600000',
};

/** Longer than the policy's period in an instance (5 s): each measured refresh re-reads it, the worst case. */
const IDLE_MS = 5_200;

/** `models` models at 2.50 / 10.00 $/MTok (per-token prices, as OpenRouter answers), `factor` times that. */
const answer = (models: number, factor: number): SourceModel[] =>
  Array.from({ length: models }, (_, i) => ({ id: `model-${i}`, context_length: 128_000, pricing: { prompt: String(0.0000025 * factor), completion: String(0.00001 * factor) } }));

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? NaN;

/** One refresh over HTTP: POST, then a subscription until the terminal event; its outcome, time and the proxy's count. */
async function refresh(base: string, proxy: { resetCounters(): void; roundTrips(): number }) {
  const auth = { authorization: `Bearer ${TOKEN}` };
  proxy.resetCounters();
  const t0 = performance.now();
  const res = await fetch(`${base}/api/trpc/invalidation.start`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ providers: [PROVIDER], mode: 'soft', refresh: true, cascade: false }),
  });
  const body = (await res.json()) as { result?: { data: { jobId: string } } };
  if (!body.result) throw new Error(`invalidation.start: ${res.status} ${JSON.stringify(body)}`);
  const input = encodeURIComponent(JSON.stringify({ jobId: body.result.data.jobId }));
  let outcome = '';
  let terminalMs = NaN;
  let ended = () => {};
  const finished = new Promise<void>((r) => (ended = r));
  const stream = await openSse(`${base}/api/trpc/invalidation.events?input=${input}`, auth, new AbortController().signal, (e) => {
    if (!/"type":"(completed|failed)"/.test(e.data)) return;
    terminalMs = performance.now() - t0;
    const event = JSON.parse(e.data) as { type: string; result?: { refresh?: { status: string }[] } };
    outcome = event.type === 'completed' ? (event.result?.refresh?.[0]?.status ?? 'none') : 'failed';
    ended();
  });
  if (stream.status !== 200) throw new Error(`invalidation.events: ${stream.status}`);
  await finished;
  const roundTrips = proxy.roundTrips();
  await stream.close();
  return { outcome, terminalMs, roundTrips };
}

export async function benchGuard(options: GuardBenchOptions, progress: (line: string) => void = () => {}): Promise<GuardRow[]> {
  const root = process.cwd();
  if (!buildIfStale(root)) throw new Error('next build failed');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'catalog-bench-guard-'));
  const redis = await startRedisServer({ dir });
  const proxy = await startRedisProxy({ target: { host: '127.0.0.1', port: redis.port } });
  const source = await startModelSource();
  const providerSources = source.config([PROVIDER]);
  const control = connect(redis.url, 'bench-control');
  const cache = createCatalogCache({ redis: control, keys: catalogKeys('catalog:'), registry: registryFromConfig(providerSources), ttlSeconds: 3600, leaseMs: 5000, waitMs: 5000 });
  const rows: GuardRow[] = [];
  try {
    source.set(PROVIDER, { models: answer(options.models, 1) });
    await cache.seed([PROVIDER]);
    const cases = [
      { guard: 'off', case: 'passes', expect: 'refreshed' },
      { guard: 'on', case: 'passes', expect: 'refreshed' },
      { guard: 'on', case: 'held', expect: 'held' },
    ] as const;
    for (const guard of ['off', 'on'] as const) {
      // Its own admin prefix: the instance before it (killed, never deregistered) is not a live peer whose ack a job waits for.
      const app = await startApp({ REDIS_URL: proxy.url, PROVIDER_SOURCES: providerSources, CATALOG_GUARD: guard, ADMIN_PREFIX: `bench-guard-${guard}:`, ...QUIET });
      try {
        for (const c of cases.filter((x) => x.guard === guard)) {
          const samples: Awaited<ReturnType<typeof refresh>>[] = [];
          for (let run = -1; run < options.runs; run++) {
            // ×2 and ÷2 in turn: a change every time, inside the ×10 rule; ×1,000 breaks it.
            source.set(PROVIDER, { models: answer(options.models, c.case === 'held' ? 1000 : run % 2 ? 2 : 1) });
            if (run >= 0) await new Promise((r) => setTimeout(r, IDLE_MS));
            proxy.setDelay(options.delayMs);
            const sample = await refresh(app.base, proxy);
            proxy.setDelay(0);
            if (sample.outcome !== c.expect) throw new BenchCheckError(`guard ${guard}, ${c.case}: the refresh reported ${sample.outcome}, expected ${c.expect}`);
            if (run >= 0) samples.push(sample); // run -1 warms the route, the scripts and the policy
          }
          const row: GuardRow = { guard, case: c.case, outcome: c.expect, terminalMs: median(samples.map((s) => s.terminalMs)), roundTrips: median(samples.map((s) => s.roundTrips)), runs: samples.length };
          rows.push(row);
          progress(`  guard ${guard}, ${c.case}: ${row.terminalMs.toFixed(0)} ms, ${row.roundTrips} Redis round trips (${row.outcome})`);
        }
      } finally {
        await app.stop();
      }
    }
    return rows;
  } finally {
    control.disconnect();
    await Promise.all([proxy.close(), source.close()]);
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The table for the report: the three cases side by side. */
export function guardLines(rows: GuardRow[], delayMs: number): string[] {
  const base = rows.find((r) => r.guard === 'off');
  const extra = (r: GuardRow) => (base ? `${r.roundTrips - base.roundTrips >= 0 ? '+' : ''}${r.roundTrips - base.roundTrips}` : '');
  return [
    `| guard | the source's answer | outcome | refresh ms (POST → \`completed\`) | ms / ${delayMs} ms RT | Redis RT | RT vs off | runs |`,
    `| :--- | :--- | :--- | ---: | ---: | ---: | ---: | ---: |`,
    ...rows.map(
      (r) =>
        `| ${r.guard} | ${r.case === 'held' ? 'prices ×1,000' : 'prices ×2 / ÷2'} | ${r.outcome} | ${r.terminalMs.toFixed(0)} | ${(r.terminalMs / delayMs).toFixed(2)} | ${r.roundTrips} | ${extra(r)} | ${r.runs} |`,
    ),
  ];
}
