/**
 * `npm run bench`: the old per-provider invalidation vs. the batch engine vs. the whole job, for
 * 1, 18, 100 and 1000 providers, on loopback and through a proxy adding 5 or 50 ms per round trip, and
 * what an admin waits for: the click to the terminal event as a subscriber receives it.
 * Runs against its own redis-server in a temp dir. Exits non-zero if any run left keys behind or
 * reported a different number of deletions.
 *
 * `--full` also measures the old way at 1000 providers × 50 ms (~100 s) instead of estimating it.
 *
 * `--http` runs only the rows measured over HTTP against `next start` (about a minute): the click,
 * live fan-out, and the read path with the process tier and without it (scripts/lib/bench-read.ts).
 *
 * `--guard` runs only what the catalog guard costs a refresh (scripts/lib/bench-guard.ts, under a
 * minute after the build): guard off, on with an answer that breaks nothing, on with one it holds,
 * over HTTP against `next start` (`--runs N`, default 5).
 *
 * `--million` runs only the million-key bench (scripts/lib/bench-million.ts): 1,000 providers ×
 * 1,000 per-model keys, the app against a bare UNLINK loop, on a redis-server and a 3-master cluster.
 * With it: `--providers N`, `--models N`, `--runs N`, `--batch N` (INVALIDATION_BATCH_KEYS), `--no-cluster`.
 *
 * Each mode prints its report and rewrites its tables in docs/benchmark.md, between the marker
 * comments of its blocks (`bench`, `bench-http` and `bench-guard`; `bench-http` alone; `bench-guard` alone; `bench-million`), leaving the
 * prose that reads them to be updated by hand.
 */
import os from 'node:os';
import { benchMillion, millionTable, ratioLines, type MillionOptions } from './lib/bench-million';
import { startBenchEnv, type BenchEnv } from './lib/bench-env';
import { benchGuard, guardLines, type GuardRow } from './lib/bench-guard';
import { benchHttp, type FanoutRow, type HttpClickRow } from './lib/bench-http';
import { writeBlocks } from './lib/doc-blocks';
import { readPathLines, type ReadPathOptions, type ReadPathRow } from './lib/bench-read';
import { benchReliability, type ReliabilityFigures } from './lib/bench-reliability';
import {
  BenchCheckError, createSubject, METHODS, providerNames, runOnce, type MethodName, type Subject,
} from './lib/bench-cases';
import {
  headline, humanTable, markdownTable, memoryLine, memorySnapshot, type Cell, type MemorySnapshot, type Row,
} from './lib/bench-report';

const PROVIDER_COUNTS = [1, 18, 100, 1000];
const NETWORKS = [
  { label: 'direct', delayMs: 0, proxied: false },
  { label: 'proxy +5 ms', delayMs: 5, proxied: true },
  { label: 'proxy +50 ms', delayMs: 50, proxied: true },
];
type Network = (typeof NETWORKS)[number];

const FULL = process.argv.includes('--full');
/** Runs the old way would need longer than this are estimated (unless --full): it keeps the bench near 1 min. */
const ESTIMATE_ABOVE_MS = 60_000;
const WATCHDOG_MS = (FULL ? 9 : 7) * 60_000;

/** Loopback timings are noisy, so cheap cases take a median of 5; long ones run fewer times to bound the total. */
function repeatsFor(expectedMs: number): number {
  if (expectedMs <= 1000) return 5;
  if (expectedMs <= 5000) return 3;
  return 1;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

/**
 * One untimed pass of each method through the proxy at 0 ms, only to count round trips (the direct
 * rows show these counts, the estimate multiplies them). It also warms up the code paths.
 */
async function countRoundTrips(env: BenchEnv, subject: Subject): Promise<Record<MethodName, number>> {
  env.proxy.setDelay(0);
  const trips = { old: 0, engine: 0, job: 0, click: 0 };
  // The click's subscriber reuses a pooled blocking connection, as a running server does: warm it first.
  await runOnce(env.control, subject, 'click', env.proxy);
  for (const method of METHODS) trips[method] = (await runOnce(env.control, subject, method, env.proxy)).roundTrips;
  return trips;
}

async function measure(env: BenchEnv, subject: Subject, method: MethodName, network: Network, trips: number): Promise<Cell> {
  const expectedMs = trips * network.delayMs;
  if (method === 'old' && expectedMs > ESTIMATE_ABOVE_MS && !FULL) return { ms: expectedMs, runs: 0, estimated: true };
  const times: number[] = [];
  for (let i = 0; i < repeatsFor(expectedMs); i++) {
    const run = await runOnce(env.control, subject, method, env.proxy);
    // The count must not depend on latency; if it did, the estimate above would be meaningless.
    // (The click's count depends on timing: a subscriber may find the terminal event in its backlog.)
    if (network.proxied && method !== 'click' && run.roundTrips !== trips) {
      throw new BenchCheckError(`${method} way at ${network.label}: ${run.roundTrips} round trips, ${trips} at 0 ms`);
    }
    times.push(run.ms);
  }
  return { ms: median(times), runs: times.length, estimated: false };
}

async function benchProviderCount(env: BenchEnv, count: number): Promise<Row[]> {
  const providers = providerNames(count);
  const prefix = `bench:${count}:`;
  const subjects = { direct: createSubject(providers, env.direct, prefix), proxied: createSubject(providers, env.proxied, prefix) };
  const roundTrips = await countRoundTrips(env, subjects.proxied);
  const rows: Row[] = [];
  for (const network of NETWORKS) {
    env.proxy.setDelay(network.delayMs);
    const subject = network.proxied ? subjects.proxied : subjects.direct;
    const cells = {} as Record<MethodName, Cell>;
    for (const method of METHODS) cells[method] = await measure(env, subject, method, network, roundTrips[method]);
    rows.push({ providers: count, network: network.label, delayMs: network.delayMs, cells, roundTrips });
    // Progress on stderr, so stdout holds only the report.
    const ms = (c: Cell) => `${Math.round(c.ms)}${c.estimated ? ' (est.)' : ''}`;
    console.error(`  ${count} providers, ${network.label}: old ${ms(cells.old)} ms, engine ${ms(cells.engine)} ms, job ${ms(cells.job)} ms, click to result ${ms(cells.click)} ms`);
  }
  subjects.direct.close();
  subjects.proxied.close();
  return rows;
}

function reliabilityLines(r: ReliabilityFigures): string[] {
  const sorted = [...r.takeoverMs].sort((a, b) => a - b);
  return [
    `Read stampede: ${r.readers} concurrent readers of a missing provider over 2 instances -> ${r.fetches} source fetch(es).`,
    `Burst: ${r.requests} identical concurrent requests over 2 instances -> ${r.jobs} job(s).`,
    `Takeover: a dead instance's job completed by another ${sorted.map((ms) => `${ms} ms`).join(', ')} after its last lease write (JOB_LEASE_MS ${r.leaseMs}; bound 1.5 x lease + the job).`,
  ];
}

const HTTP_DELAY_MS = 50;
/** A few seconds per row: 18 providers of 50 models each, 1 and 8 clients, 2 s after 1 s of warm-up. */
const READ_PATH: ReadPathOptions = { providers: 18, models: 50, concurrency: [1, 8], durationMs: 2000, warmupMs: 1000, delaysMs: [0, HTTP_DELAY_MS] };

type HttpFigures = { clicks: HttpClickRow[]; fanout: FanoutRow[]; reads: ReadPathRow[] };

function httpLines(http: HttpFigures): string[] {
  const f = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
  return [
    `| providers | auth | ack ms | ack/RT | terminal ms | terminal/RT | Redis RT to ack | Redis RT to terminal | runs |`,
    `| ---: | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
    ...http.clicks.map((c) => `| ${c.providers} | ${c.auth} | ${f(c.ackMs)} | ${(c.ackMs / c.delayMs).toFixed(2)} | ${f(c.terminalMs)} | ${(c.terminalMs / c.delayMs).toFixed(2)} | ${c.tripsAck} | ${c.tripsTerminal} | ${c.runs} |`),
    '',
    `| activity.feed followers | first event p50 ms | p99 ms | samples |`,
    `| ---: | ---: | ---: | ---: |`,
    ...http.fanout.map((r) => `| ${r.followers} | ${f(r.p50Ms)} | ${f(r.p99Ms)} | ${r.samples} |`),
  ];
}

/** The HTTP rows with their legends: the `bench-http` block of docs/benchmark.md. */
function httpReport(http: HttpFigures): string[] {
  const r = READ_PATH;
  return [
    `The click over HTTP against \`next start\` (its Redis behind the proxy at +${HTTP_DELAY_MS} ms per round trip), and live fan-out (proxy at 0 ms):`,
    '',
    ...httpLines(http),
    '',
    `ack = POST invalidation.start until its answer; terminal = from the same POST until a subscription opened on the answer receives \`completed\`; /RT = ms / ${HTTP_DELAY_MS} ms; Redis RT = round trips the proxy counted over every connection of the instance meanwhile. Fan-out: from the POST until each open activity.feed receives the job's first event. Medians of the runs shown.`,
    '',
    `The read path: \`GET /api/catalog/models?provider=<name>\` against \`next start\`, with the process tier (on, the default) and without it (off: a second instance with \`PROCESS_TIER_MAX_ENTRIES=0\`), one after the other:`,
    '',
    ...readPathLines(http.reads),
    '',
    `${r.concurrency.join(' and ')} client(s) in a closed loop over ${r.providers} providers of ${r.models} models each, ${r.durationMs / 1000} s per row after ${r.warmupMs} ms of warm-up; the load generator shares the machine with both instances and Redis. from process = answers with \`x-cache-tier: process\`; Redis RT/request = the proxy's count over both instances (heartbeats included) / requests; not HIT = answers other than 200 \`x-cache: HIT\`. Copies in the tier live at most PROCESS_TIER_MAX_AGE_MS (5 s).`,
  ];
}

const BENCHMARK_DOC = new URL('../docs/benchmark.md', import.meta.url);

/** Prints a block between its markers (so a run's output can be pasted too) and returns its body. */
function block(name: string, lines: string[]): string {
  const body = lines.join('\n');
  console.log(`\n<!-- ${name}:start -->\n${body}\n<!-- ${name}:end -->`);
  return body;
}

const GUARD_MODELS = 50;

/** The guard's rows with their legend: the `bench-guard` block of docs/benchmark.md. */
function guardReport(rows: GuardRow[]): string[] {
  return [
    `What the catalog guard costs a refresh: a soft invalidation with refresh of one provider (${GUARD_MODELS} models from a loopback source), POSTed to \`next start\` (its Redis behind the proxy at +${HTTP_DELAY_MS} ms per round trip) until a subscription on the answer receives \`completed\`; \`CATALOG_GUARD=off\` and \`on\` are two instances run one after the other on the same Redis:`,
    '',
    ...guardLines(rows, HTTP_DELAY_MS),
    '',
    `Redis RT = round trips the proxy counted over every connection of the instance from the POST to \`completed\` (the job and its event subscription; heartbeats and ticks slowed to once a minute); RT vs off = the difference with the guard off. Each measured run follows 5 s of quiet, so the guarded instance re-reads its policy (the worst case: a refresh alone); the read is sent with the job's snapshot read (\`Judge.warm\`), and with one Redis for both prefixes, as here, it rides in that round trip (with a separate admin Redis it is one round trip there, overlapping the snapshot and the fetch); within 5 s of another judgement it is not made. Medians of the runs shown, after one unmeasured run per case; each run's outcome is checked. The exact count with the policy fresh in the instance: \`tests/server/guard/round-trips.test.ts\` (on = off, held = off).`,
  ];
}

const runGuard = (runs = 5) => benchGuard({ delayMs: HTTP_DELAY_MS, runs, models: GUARD_MODELS }, (line) => console.error(line));

/** `--guard`: only the guard's rows (the other blocks stay as they were). */
async function guardOnly(): Promise<void> {
  const started = performance.now();
  console.error('bench --guard: a refresh with the catalog guard off, on, and holding, over HTTP against next start');
  const rows = await runGuard(flag('runs', 5));
  const loads = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const body = block('bench-guard', [...guardReport(rows), '', `Node ${process.version}, ${new Date().toISOString()}, load average ${loads} at the end; took ${((performance.now() - started) / 1000).toFixed(0)} s.`]);
  writeBlocks(BENCHMARK_DOC, { 'bench-guard': body });
}

function printReport(rows: Row[], memory: { before: MemorySnapshot; after: MemorySnapshot } | undefined, seconds: number, reliability: ReliabilityFigures, http: HttpFigures, guard: GuardRow[]) {
  const legend = [
    'old = per provider, sequentially: UNLINK its models key, then UNLINK the full catalog (2 awaited calls).',
    'new engine = planInvalidation + executePlan (one MULTI/EXEC of UNLINKs and fence bumps). new job = service.start + runner.drain',
    '(job record with coalescing and lease, started + batch, completed). click = service.start, then a subscriber opened at',
    'once reads events until the terminal one: what an admin waits for. click/RT = click ms / proxy delay, the round trips',
    'of latency an admin waits. ms = median of the runs shown; RT = Redis round trips counted by the proxy',
    '(direct rows: the same case counted through the proxy at 0 ms).',
    ...(rows.some((r) => r.cells.old.estimated) ? ['~ (est.) = not run: measured round trips × 50 ms, a lower bound (`npm run bench -- --full` measures it, ~100 s).'] : []),
  ];
  console.log('\nCatalog invalidation benchmark (models cache, cascade to the full catalog)\n');
  console.log(humanTable(rows));
  console.log(`\n${legend.join('\n')}\n`);
  console.log(headline(rows, 18, 50));
  if (memory) console.log(memoryLine('Memory around the 1000-provider runs', memory.before, memory.after));
  console.log(reliabilityLines(reliability).join('\n'));
  console.log(`Node ${process.version}, ${new Date().toISOString()}; bench took ${seconds.toFixed(1)} s\n`);
  const bench = block('bench', [markdownTable(rows), '', legend.join(' '), '', ...reliabilityLines(reliability).map((line) => `- ${line}`)]);
  const httpBlock = block('bench-http', httpReport(http));
  const guardBlock = block('bench-guard', guardReport(guard));
  writeBlocks(BENCHMARK_DOC, { bench, 'bench-http': httpBlock, 'bench-guard': guardBlock });
}

const runHttp = () => benchHttp({ delayMs: HTTP_DELAY_MS, counts: [1, 18, 1000], runs: 5, followers: [1, 100], read: READ_PATH });

/** `--http`: only the rows measured over HTTP, in the same block format (the other blocks stay as they were). */
async function httpOnly(): Promise<void> {
  const started = performance.now();
  console.error('bench --http: the click over HTTP against next start, live fan-out, the read path with and without the tier');
  const http = await runHttp();
  const loads = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const body = block('bench-http', [...httpReport(http), '', `Node ${process.version}, ${new Date().toISOString()}, load average ${loads} at the end; took ${((performance.now() - started) / 1000).toFixed(0)} s.`]);
  writeBlocks(BENCHMARK_DOC, { 'bench-http': body });
}

async function main(): Promise<void> {
  const started = performance.now();
  const env = await startBenchEnv();
  const watchdog = setTimeout(() => void env.abort(`took longer than ${WATCHDOG_MS / 1000} s`, 1), WATCHDOG_MS);
  try {
    const rows: Row[] = [];
    let memory: { before: MemorySnapshot; after: MemorySnapshot } | undefined;
    console.error(`bench: private redis started${FULL ? ' (--full: old way at 1000 × 50 ms is measured, ~100 s)' : ''}`);
    for (const count of PROVIDER_COUNTS) {
      const before = memorySnapshot();
      rows.push(...(await benchProviderCount(env, count)));
      if (count === 1000) memory = { before, after: memorySnapshot() };
    }
    console.error('bench: reliability (stampede, burst, takeover)');
    const reliability = await benchReliability(env.url);
    console.error('bench: the click over HTTP against next start, and live fan-out');
    const http = await runHttp();
    console.error('bench: what the catalog guard costs a refresh, over HTTP against next start');
    const guard = await runGuard();
    printReport(rows, memory, (performance.now() - started) / 1000, reliability, http, guard);
  } finally {
    clearTimeout(watchdog);
    await env.close();
  }
}

const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive integer`);
  return value;
};

async function million(): Promise<void> {
  const started = performance.now();
  const options: MillionOptions = {
    providers: flag('providers', 1000),
    models: flag('models', 1000),
    batchKeys: flag('batch', 5000),
    bare: { keysPerUnlink: 1000, unlinksPerPipeline: 10 },
    runs: flag('runs', 2),
    cluster: !process.argv.includes('--no-cluster'),
  };
  // Bounded in time: everything it started is ours (children, temp dirs) and goes with the process.
  const watchdog = setTimeout(() => {
    console.error(`bench --million: took longer than ${MILLION_WATCHDOG_MS / 1000} s; exiting`);
    process.exit(1);
  }, MILLION_WATCHDOG_MS);
  watchdog.unref();
  try {
    console.error(`bench --million: ${options.providers} providers × ${options.models} per-model keys, ${options.runs} run(s) each way${options.cluster ? ', then on a 3-master cluster' : ''}`);
    const reports = await benchMillion(options, (line) => console.error(line));
    for (const line of ratioLines(reports)) console.error(line);
    const loads = os.loadavg().map((l) => l.toFixed(2)).join(' ');
    const body = block('bench-million', [millionTable(reports, options), '', `Node ${process.version}, ${new Date().toISOString()}, load average ${loads} at the end; took ${((performance.now() - started) / 1000).toFixed(0)} s.`]);
    writeBlocks(BENCHMARK_DOC, { 'bench-million': body });
  } finally {
    clearTimeout(watchdog);
  }
}

// Seeding 1,003,003 keys takes 15–40 s per run on a loaded machine, eight times (2 runs × 2 ways × 2 targets).
const MILLION_WATCHDOG_MS = 12 * 60_000;

// --million exits when done: the pooled readers and the probe's pipes would otherwise hold the loop a while.
(process.argv.includes('--million')
  ? million().then(() => process.exit())
  : process.argv.includes('--http')
    ? httpOnly()
    : process.argv.includes('--guard')
      ? guardOnly()
      : main()
).catch((err: unknown) => {
  console.error(err instanceof BenchCheckError ? `bench: CHECK FAILED: ${err.message}` : err);
  process.exitCode = 1;
});
