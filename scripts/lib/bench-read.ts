/**
 * The public read path through the door a gateway's users come in by: `GET
 * /api/catalog/models?provider=<name>` against `next start`, with the process tier (the default)
 * and without it (a second instance with `PROCESS_TIER_MAX_ENTRIES=0`), one after the other on the same Redis,
 * at each proxy delay and number of clients. A fixed number of clients each send one request after the other (a closed
 * loop) over the seeded providers in turn, for a fixed time after an unmeasured warm-up: p50 and p99
 * of each request's latency, requests per second, the share answered from the process and the Redis
 * round trips per request (the proxy's count over both instances, heartbeats included).
 *
 * The load generator runs in the bench's own process, on the same cores as `next start` and Redis:
 * requests/s is what the whole machine does, not what one instance could.
 */
export interface ReadPathOptions {
  /** Providers read in turn, each seeded with `models` models. */
  providers: number;
  models: number;
  /** Rows at each of these numbers of clients. */
  concurrency: number[];
  durationMs: number;
  warmupMs: number;
  delaysMs: number[];
}

export interface ReadPathRow {
  tier: 'on' | 'off';
  delayMs: number;
  concurrency: number;
  p50Ms: number;
  p99Ms: number;
  perSecond: number;
  requests: number;
  /** Answers with `x-cache-tier: process`. */
  fromProcess: number;
  /** Answers other than 200 with `x-cache: HIT`. */
  notHits: number;
  roundTripsPerRequest: number;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

interface Load {
  latencies: number[];
  fromProcess: number;
  notHits: number;
  elapsedMs: number;
}

async function load(base: string, providers: string[], concurrency: number, durationMs: number): Promise<Load> {
  const out: Load = { latencies: [], fromProcess: 0, notHits: 0, elapsedMs: 0 };
  let next = 0;
  const t0 = performance.now();
  const end = t0 + durationMs;
  const client = async () => {
    while (performance.now() < end) {
      const provider = providers[next++ % providers.length] as string;
      const started = performance.now();
      const res = await fetch(`${base}/api/catalog/models?provider=${provider}`, { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      out.latencies.push(performance.now() - started);
      if (res.status !== 200 || res.headers.get('x-cache') !== 'HIT') out.notHits += 1;
      if (res.headers.get('x-cache-tier') === 'process') out.fromProcess += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  out.elapsedMs = performance.now() - t0;
  return out;
}

export async function benchReadPath(
  bases: { on: string; off: string },
  providers: string[],
  proxy: { setDelay(ms: number): void; resetCounters(): void; roundTrips(): number },
  options: ReadPathOptions,
): Promise<ReadPathRow[]> {
  const rows: ReadPathRow[] = [];
  for (const delayMs of options.delaysMs) {
    proxy.setDelay(delayMs);
    for (const concurrency of options.concurrency) {
      for (const tier of ['on', 'off'] as const) {
        const base = bases[tier];
        await load(base, providers, concurrency, options.warmupMs); // fills the tier, opens the connections
        proxy.resetCounters();
        const run = await load(base, providers, concurrency, options.durationMs);
        const requests = run.latencies.length;
        const row: ReadPathRow = {
          tier,
          delayMs,
          concurrency,
          p50Ms: quantile(run.latencies, 0.5),
          p99Ms: quantile(run.latencies, 0.99),
          perSecond: (requests * 1000) / run.elapsedMs,
          requests,
          fromProcess: run.fromProcess,
          notHits: run.notHits,
          roundTripsPerRequest: proxy.roundTrips() / requests,
        };
        rows.push(row);
        console.error(`  read path, +${delayMs} ms, ${concurrency} client(s), tier ${tier}: p50 ${row.p50Ms.toFixed(2)} ms, p99 ${row.p99Ms.toFixed(2)} ms, ${row.perSecond.toFixed(0)} req/s`);
      }
    }
  }
  proxy.setDelay(0);
  return rows;
}

/** The table for the report, the two tiers side by side per delay. */
export function readPathLines(rows: ReadPathRow[]): string[] {
  const f = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
  const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)} %`;
  return [
    `| Redis delay | tier | clients | p50 ms | p99 ms | requests/s | from process | Redis RT/request | requests | not HIT |`,
    `| ---: | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
    ...rows.map(
      (r) =>
        `| +${r.delayMs} ms | ${r.tier} | ${r.concurrency} | ${f(r.p50Ms)} | ${f(r.p99Ms)} | ${r.perSecond.toFixed(0)} | ${pct(r.fromProcess, r.requests)} | ${r.roundTripsPerRequest.toFixed(3)} | ${r.requests} | ${r.notHits} |`,
    ),
  ];
}
