/**
 * `npm run bench -- --million`: 1,000 providers × 1,000 per-model keys on a gateway's own layout
 * (modelKey + modelIndex), deleted through the real service and job, side by side with a bare
 * pipelined UNLINK loop over the same data, on its own redis-server and on a private 3-master
 * cluster. Per run: keys/s, the app's peak RSS (sampled), another process's GET latency meanwhile,
 * and the largest gap between the job's events as a subscriber receives them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import calculateSlot from 'cluster-key-slot';
import type { Cluster, Redis } from 'ioredis';
import type { KeyTemplates } from '~/server/layout/key-templates';
import { connectCluster, sendAll, type RedisClient, type SlotOp } from '~/server/redis/cluster';
import { connect } from '~/server/redis/connection';
import { catalogKeys, type CatalogKeys } from '~/server/redis/keys';
import { BenchCheckError, createSubject, type Subject } from './bench-cases';
import { startRedisCluster, startRedisServer } from './redis-server';

export interface MillionOptions {
  providers: number;
  models: number;
  /** INVALIDATION_BATCH_KEYS for the app (per-model chunks are min(this, 1000)). */
  batchKeys: number;
  /** Keys per UNLINK of the bare loop, and UNLINKs per pipeline. */
  bare: { keysPerUnlink: number; unlinksPerPipeline: number };
  /** Runs of each way (alternated: bare, app, bare, app…). */
  runs: number;
  cluster: boolean;
}

export interface ProbeStats {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export interface WayResult {
  ms: number;
  keysDeleted: number;
  keysPerSecond: number;
  rssBaseMb: number;
  rssPeakMb: number;
  probe: ProbeStats;
  /** App only: the largest gap between consecutive events as received, and between their `at` stamps. */
  maxGapMs?: number;
  maxGapAtMs?: number;
  events?: number;
}

export interface MillionReport {
  target: string;
  keysSeeded: number;
  seedMs: number;
  app: WayResult[];
  bare: WayResult[];
}

const GW = 'bm:gw:';
const layout: KeyTemplates = {
  providerModels: `${GW}models:$provider`,
  providerPricing: `${GW}pricing:$provider`,
  fullCatalog: `${GW}models:all`,
  providerList: `${GW}providers`,
  globalPricing: `${GW}pricing:all`,
  modelKey: `${GW}model:$provider:$model`,
  modelIndex: `${GW}models:$provider:ids`,
};
const LOOKALIKES = [`${GW}models:p0001:backup`, `${GW}models:p00012`, `${GW}model:p0001x:m-1`, `${GW}modelx:p0001:m-1`];
const PROBE_KEY = LOOKALIKES[0] as string;

const providerName = (i: number) => `p${String(i + 1).padStart(4, '0')}`;
const modelId = (j: number) => `m-${j}`;

/** Every key the job must delete, in the order a bare loop would: per provider its model keys, then its own keys; the globals last. */
function* scopeKeys(keys: CatalogKeys, o: MillionOptions): Generator<string> {
  for (let i = 0; i < o.providers; i++) {
    const p = providerName(i);
    for (let j = 0; j < o.models; j++) yield (keys.modelKey as NonNullable<CatalogKeys['modelKey']>)(p, modelId(j));
    yield* keys.providerKeys(p);
  }
  yield keys.fullCatalog;
  yield keys.providerList;
  yield keys.pricing;
}

const expectedKeys = (o: MillionOptions) => o.providers * (o.models + 3) + 3;

/** A target: one redis-server or a 3-master cluster, with the app's connections and a control one. */
interface Target {
  label: string;
  control: RedisClient;
  catalog: RedisClient;
  admin: RedisClient;
  /** For the probe process. */
  probeEnv: Record<string, string>;
  cluster: boolean;
  close(): Promise<void>;
}

async function startTarget(dir: string, cluster: boolean): Promise<Target> {
  if (!cluster) {
    const server = await startRedisServer({ dir });
    const clients = [connect(server.url, 'bm-control'), connect(server.url, 'bm-catalog'), connect(server.url, 'bm-admin')];
    await Promise.all(clients.map((c) => c.ping()));
    const [control, catalog, admin] = clients as [Redis, Redis, Redis];
    return {
      label: 'redis-server',
      control, catalog, admin,
      probeEnv: { PROBE_URL: server.url },
      cluster: false,
      async close() {
        for (const c of clients) c.disconnect();
        await server.stop();
      },
    };
  }
  const c = await startRedisCluster({ dir, masters: 3 });
  const clusters: Cluster[] = [connectCluster(c.nodes, 'bm-control'), connectCluster(c.nodes, 'bm-catalog', { commandTimeout: 15_000 }), connectCluster(c.nodes, 'bm-admin')];
  await Promise.all(clusters.map((k) => k.ping()));
  const [control, catalog, admin] = clusters as [Cluster, Cluster, Cluster];
  return {
    label: '3-master cluster',
    control, catalog, admin,
    probeEnv: { PROBE_NODES: c.nodes },
    cluster: true,
    async close() {
      for (const k of clusters) k.disconnect();
      await c.stop();
    },
  };
}

/** Seeding, grouped by node on a cluster: batches of ~10k commands, pipelined. */
async function seed(target: Target, keys: CatalogKeys, o: MillionOptions): Promise<void> {
  const value = JSON.stringify({ id: 'm-0', name: 'A model', contextLength: 8192, pricing: { in: 1, out: 2 } });
  let ops: SlotOp[] = [];
  const flush = async () => {
    const replies = await sendAll(target.control, ops);
    const failed = replies.find(([err]) => err);
    if (failed) throw new Error(`seeding failed: ${String(failed[0])}`);
    ops = [];
  };
  const add = async (key: string, queue: SlotOp['queue']) => {
    ops.push({ key, queue });
    if (ops.length >= 10_000) await flush();
  };
  const ids = Array.from({ length: o.models }, (_, j) => modelId(j));
  for (let i = 0; i < o.providers; i++) {
    const p = providerName(i);
    const modelKey = keys.modelKey as NonNullable<CatalogKeys['modelKey']>;
    for (const id of ids) await add(modelKey(p, id), (t) => void t.set(modelKey(p, id), value, 'EX', 3600));
    await add(keys.providerModels(p), (t) => void t.set(keys.providerModels(p), JSON.stringify({ data: [] }), 'EX', 3600));
    await add(keys.providerPricing(p), (t) => void t.set(keys.providerPricing(p), '{}', 'EX', 3600));
    const index = (keys.modelIndex as NonNullable<CatalogKeys['modelIndex']>)(p);
    await add(index, (t) => void t.sadd(index, ...ids));
  }
  for (const key of [keys.fullCatalog, keys.providerList, keys.pricing, ...LOOKALIKES]) await add(key, (t) => void t.set(key, 'x'));
  await flush();
}

/** After a run: nothing of the scope is left, every lookalike is. */
async function verify(target: Target, keys: CatalogKeys, o: MillionOptions, way: string, keysDeleted: number): Promise<void> {
  const left: string[] = [];
  const masters = target.cluster ? (target.control as Cluster).nodes('master') : [target.control];
  for (const master of masters) {
    let cursor = '0';
    do {
      const [next, found] = await master.scan(cursor, 'MATCH', `${GW}*`, 'COUNT', 10_000);
      cursor = next;
      left.push(...found);
    } while (cursor !== '0');
  }
  const unexpected = [...new Set(left)].filter((k) => !LOOKALIKES.includes(k));
  const lookalikes = await sendAll(target.control, LOOKALIKES.map((key) => ({ key, queue: (t) => void t.exists(key) })));
  const missing = LOOKALIKES.filter((_, i) => Number(lookalikes[i]?.[1]) !== 1);
  const problems = [
    unexpected.length && `${unexpected.length} key(s) of the scope left (${unexpected.slice(0, 3).join(', ')})`,
    missing.length && `lookalikes deleted: ${missing.join(', ')}`,
    keysDeleted !== expectedKeys(o) && `reported ${keysDeleted} keys deleted, expected ${expectedKeys(o)}`,
  ].filter(Boolean);
  if (problems.length) throw new BenchCheckError(`${way} on ${target.label}: ${problems.join('; ')}`);
  void keys;
}

/**
 * Redis's side of the other client's wait: every command that ran 1 ms or longer (SLOWLOG, on each
 * master), to tell a command that held Redis from a probe that waited for a CPU.
 */
const SLOW_US = 1000;
const mastersOfTarget = (target: Target): Redis[] => (target.cluster ? (target.control as Cluster).nodes('master') : [target.control as Redis]);
async function slowlogReset(target: Target): Promise<void> {
  await Promise.all(mastersOfTarget(target).map(async (m) => {
    await m.config('SET', 'slowlog-log-slower-than', String(SLOW_US));
    await m.config('SET', 'slowlog-max-len', '1024');
    await m.slowlog('RESET');
  }));
}
async function slowlogRead(target: Target): Promise<string> {
  const entries = (await Promise.all(mastersOfTarget(target).map((m) => m.slowlog('GET', 1024) as Promise<[number, number, number, string[]][]>))).flat();
  if (!entries.length) return `no command ≥ ${SLOW_US / 1000} ms`;
  const byName = new Map<string, { n: number; max: number }>();
  for (const [, , us, args] of entries) {
    const name = String(args[0]).toUpperCase();
    const e = byName.get(name) ?? { n: 0, max: 0 };
    byName.set(name, { n: e.n + 1, max: Math.max(e.max, us) });
  }
  return `commands ≥ ${SLOW_US / 1000} ms: ${[...byName.entries()].map(([k, v]) => `${k} ×${v.n} (max ${(v.max / 1000).toFixed(1)} ms)`).join(', ')}`;
}

/** CPU seconds the Redis servers have used (main thread and background threads), summed over the masters. */
async function redisCpu(target: Target): Promise<number> {
  const infos = await Promise.all(mastersOfTarget(target).map((m) => m.info('cpu')));
  return infos.reduce((sum, info) => sum + [...info.matchAll(/^used_cpu_(?:sys|user):([\d.]+)/gm)].reduce((s, m) => s + Number(m[1]), 0), 0);
}

/** Another client: a separate process looping GETs (1 ms apart) on its own connection. */
interface Probe {
  begin(): void;
  end(): Promise<ProbeStats>;
  close(): void;
}

const PROBE_SOURCE = `
import { Redis, Cluster } from 'ioredis';
import { createInterface } from 'node:readline';
const nodes = process.env.PROBE_NODES;
const r = nodes ? new Cluster(nodes.split(',').map((n) => ({ host: n.split(':')[0], port: Number(n.split(':')[1]) }))) : new Redis(process.env.PROBE_URL);
r.on('error', () => {});
let samples = null;
let stopped = false;
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'begin') samples = [];
  if (line === 'end') {
    const s = (samples ?? []).sort((a, b) => a - b);
    const q = (f) => s[Math.min(s.length - 1, Math.floor(f * s.length))] ?? NaN;
    process.stdout.write(JSON.stringify({ n: s.length, p50: q(0.5), p99: q(0.99), max: s[s.length - 1] ?? NaN }) + '\\n');
    samples = null;
  }
  if (line === 'quit') { stopped = true; r.disconnect(); }
});
await r.get(process.env.PROBE_KEY);
process.stdout.write('ready\\n');
while (!stopped) {
  const t0 = performance.now();
  try { await r.get(process.env.PROBE_KEY); } catch {}
  if (samples) samples.push(performance.now() - t0);
  await new Promise((res) => setTimeout(res, 1));
}
`;

async function startProbe(env: Record<string, string>): Promise<Probe> {
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', PROBE_SOURCE], {
    env: { ...process.env, ...env, PROBE_KEY },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const send = (line: string) => child.stdin?.write(`${line}\n`);
  const ready = await next();
  if (ready !== 'ready') throw new Error(`the GET probe said ${ready}`);
  return {
    begin: () => send('begin'),
    end: async () => {
      const answer = next();
      send('end');
      return JSON.parse(await answer) as ProbeStats;
    },
    close: () => {
      send('quit');
      setTimeout(() => child.kill('SIGKILL'), 1000).unref();
    },
  };
}

/** Peak RSS while `work` runs, sampled every 10 ms. */
async function withRss<T>(work: () => Promise<T>): Promise<{ value: T; baseMb: number; peakMb: number }> {
  const baseMb = process.memoryUsage().rss / 2 ** 20;
  let peak = baseMb;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss / 2 ** 20)), 10);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().rss / 2 ** 20);
    return { value, baseMb, peakMb: peak };
  } finally {
    clearInterval(timer);
  }
}

/** The app: service.start, a subscriber opened on its answer, until the terminal event. */
async function appWay(subject: Subject): Promise<{ keysDeleted: number; maxGapMs: number; maxGapAtMs: number; events: number }> {
  const { jobId } = await subject.service.start(subject.request, { kind: 'token', label: 'bench --million' });
  const arrivals: number[] = [];
  const stamps: number[] = [];
  let last: { type: string; result?: { keysDeleted: number }; error?: { message: string } } | undefined;
  for await (const item of subject.service.events(jobId, null)) {
    arrivals.push(performance.now());
    stamps.push(item.event.at);
    last = item.event as typeof last;
  }
  if (last?.type !== 'completed' || !last.result) throw new BenchCheckError(`job ${jobId} ended ${last?.type ?? 'with nothing'}: ${last?.error?.message ?? ''}`);
  const gap = (xs: number[]) => xs.slice(1).reduce((m, x, i) => Math.max(m, x - (xs[i] as number)), 0);
  return { keysDeleted: last.result.keysDeleted, maxGapMs: gap(arrivals), maxGapAtMs: gap(stamps), events: arrivals.length };
}

/** The bare loop: known key names, `keysPerUnlink` per UNLINK, `unlinksPerPipeline` per pipeline (per node on a cluster, nodes in parallel). */
async function bareWay(target: Target, keys: CatalogKeys, o: MillionOptions): Promise<number> {
  let deleted = 0;
  const perRound = o.bare.keysPerUnlink * o.bare.unlinksPerPipeline;
  let round: string[] = [];
  const send = async () => {
    if (!target.cluster) {
      const pipeline = target.catalog.pipeline();
      for (let i = 0; i < round.length; i += o.bare.keysPerUnlink) pipeline.unlink(...round.slice(i, i + o.bare.keysPerUnlink));
      for (const [err, n] of (await pipeline.exec()) ?? []) {
        if (err) throw err;
        deleted += Number(n);
      }
    } else {
      // One UNLINK per key (multi-key commands need one slot), one pipeline per node, in parallel.
      const c = target.catalog as Cluster;
      const byNode = new Map<string, string[]>();
      for (const key of round) {
        const owner = c.slots[calculateSlot(key)]?.[0] as string;
        const list = byNode.get(owner) ?? [];
        list.push(key);
        byNode.set(owner, list);
      }
      const nodes = new Map(c.nodes('master').map((n) => [`${n.options.host}:${n.options.port}`, n]));
      await Promise.all(
        [...byNode.entries()].map(async ([owner, list]) => {
          const node = nodes.get(owner);
          if (!node) throw new Error(`no connection to ${owner}`);
          const pipeline = node.pipeline();
          for (const key of list) pipeline.unlink(key);
          for (const [err, n] of (await pipeline.exec()) ?? []) {
            if (err) throw err;
            deleted += Number(n);
          }
        }),
      );
    }
    round = [];
  };
  for (const key of scopeKeys(keys, o)) {
    round.push(key);
    if (round.length >= perRound) await send();
  }
  if (round.length) await send();
  return deleted;
}

async function runOn(cluster: boolean, o: MillionOptions, log: (line: string) => void): Promise<MillionReport> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'catalog-bench-million-'));
  const target = await startTarget(dir, cluster);
  const keys = catalogKeys('bm:catalog:', { templates: layout });
  const providers = Array.from({ length: o.providers }, (_, i) => providerName(i));
  const subject = createSubject(providers, { catalog: target.catalog, admin: target.admin }, 'bm:', {
    keys,
    maxKeysPerBatch: o.batchKeys,
    request: { cacheType: 'all', cascade: true, mode: 'delete' },
  });
  const probe = await startProbe(target.probeEnv);
  const report: MillionReport = { target: target.label, keysSeeded: expectedKeys(o), seedMs: 0, app: [], bare: [] };
  try {
    for (let run = 0; run < o.runs; run++) {
      for (const way of ['bare', 'app'] as const) {
        const s0 = performance.now();
        await seed(target, keys, o);
        report.seedMs = performance.now() - s0;
        log(`  ${target.label}: seeded ${expectedKeys(o).toLocaleString('en-US')} keys in ${(report.seedMs / 1000).toFixed(1)} s; ${way} run ${run + 1}`);
        await slowlogReset(target);
        const cpu0 = { app: process.cpuUsage(), redis: await redisCpu(target) };
        probe.begin();
        const t0 = performance.now();
        const measured = await withRss(async () => (way === 'app' ? appWay(subject) : { keysDeleted: await bareWay(target, keys, o) }));
        const ms = performance.now() - t0;
        const stats = await probe.end();
        const slow = await slowlogRead(target);
        const appCpu = process.cpuUsage(cpu0.app);
        const cpu = `CPU s: this process ${((appCpu.user + appCpu.system) / 1e6).toFixed(2)}, Redis ${((await redisCpu(target)) - cpu0.redis).toFixed(2)}`;
        await verify(target, keys, o, way, measured.value.keysDeleted);
        const extra = 'maxGapMs' in measured.value ? measured.value : undefined;
        const result: WayResult = {
          ms,
          keysDeleted: measured.value.keysDeleted,
          keysPerSecond: measured.value.keysDeleted / (ms / 1000),
          rssBaseMb: measured.baseMb,
          rssPeakMb: measured.peakMb,
          probe: stats,
          ...(extra ? { maxGapMs: extra.maxGapMs, maxGapAtMs: extra.maxGapAtMs, events: extra.events } : {}),
        };
        report[way].push(result);
        log(`  ${target.label} ${way}: ${Math.round(result.keysPerSecond).toLocaleString('en-US')} keys/s (${(ms / 1000).toFixed(2)} s), RSS ${result.rssBaseMb.toFixed(0)} → ${result.rssPeakMb.toFixed(0)} MB, GET p99 ${stats.p99.toFixed(2)} ms (max ${stats.max.toFixed(1)}, n=${stats.n})${extra ? `, max event gap ${extra.maxGapMs.toFixed(0)} ms (${extra.events} events)` : ''}, load ${os.loadavg()[0]?.toFixed(1)}; ${cpu}; Redis ${slow}`);
      }
    }
    return report;
  } finally {
    probe.close();
    subject.close();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const best = (xs: WayResult[]) => xs.reduce((a, b) => (b.keysPerSecond > a.keysPerSecond ? b : a));
const max = (xs: WayResult[], f: (r: WayResult) => number) => Math.max(...xs.map(f));
const n0 = (x: number) => Math.round(x).toLocaleString('en-US');

/** The two ratios the goals are stated in: keys/s app/bare (best runs), GET p99 app/bare (worst runs). */
export interface MillionRatios {
  target: string;
  rate: number;
  p99: number;
}

export function millionRatios(r: MillionReport): MillionRatios {
  return {
    target: r.target,
    rate: best(r.app).keysPerSecond / best(r.bare).keysPerSecond,
    p99: max(r.app, (x) => x.probe.p99) / max(r.bare, (x) => x.probe.p99),
  };
}

/** One line per target, the ratios against the goals (issue 22): GET p99 ≤ 1.5× the bare loop's everywhere; keys/s ≥ 70 % of it on a cluster. */
export function ratioLines(reports: MillionReport[]): string[] {
  return reports.map((r) => {
    const { target, rate, p99 } = millionRatios(r);
    const rateGoal = r.target.includes('cluster') ? ` (goal ≥ 70 %: ${rate >= 0.7 ? 'met' : 'missed'})` : '';
    return `- ${target}: keys/s app/bare **${Math.round(100 * rate)} %**${rateGoal}; other client's GET p99 app/bare **${p99.toFixed(2)}×** (goal ≤ 1.5×: ${p99 <= 1.5 ? 'met' : 'missed'})`;
  });
}

export function millionTable(reports: MillionReport[], o: MillionOptions): string {
  const lines = [
    '| target | way | keys deleted | best s | keys/s (best) | of bare | peak RSS MB (base → peak) | other client GET p99 ms (worst run) | GET max ms | max gap between events ms | runs |',
    '| :--- | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of reports) {
    const bare = best(r.bare);
    const app = best(r.app);
    for (const [way, rows] of [['bare UNLINK loop', r.bare], ['app (service + job)', r.app]] as const) {
      const b = best(rows);
      const rss = rows.reduce((a, x) => (x.rssPeakMb > a.rssPeakMb ? x : a));
      lines.push(
        `| ${r.target} | ${way} | ${n0(b.keysDeleted)} | ${(b.ms / 1000).toFixed(2)} | ${n0(b.keysPerSecond)} | ${rows === r.app ? `${Math.round((100 * app.keysPerSecond) / bare.keysPerSecond)} %` : '100 %'} | ${n0(rss.rssBaseMb)} → ${n0(rss.rssPeakMb)} | ${max(rows, (x) => x.probe.p99).toFixed(2)} | ${max(rows, (x) => x.probe.max).toFixed(1)} | ${rows === r.app ? `${n0(max(rows, (x) => x.maxGapMs ?? 0))} (stamps ${n0(max(rows, (x) => x.maxGapAtMs ?? 0))})` : '–'} | ${rows.length} |`,
      );
    }
  }
  lines.push('', 'Ratios (app against the bare loop of the same run):', '', ...ratioLines(reports));
  lines.push(
    '',
    `${n0(o.providers)} providers × ${n0(o.models)} per-model keys (SET EX, ~90 B each), plus per provider its models key, pricing key and index set (SADD of its ${n0(o.models)} ids), and 3 global keys: ${n0(expectedKeys(o))} keys, all deleted by one job (\`cacheType: "all"\`, delete mode, layout with \`modelKey\` + \`modelIndex\`, INVALIDATION_BATCH_KEYS ${o.batchKeys}). ` +
      `bare = the same key names known in advance, UNLINK of ${o.bare.keysPerUnlink} keys × ${o.bare.unlinksPerPipeline} per pipeline (cluster: one UNLINK per key, one pipeline per node, nodes in parallel). app = service.start until a subscriber receives \`completed\` (reads the index sets with SSCAN, deletes in chunks, progress events). ` +
      'RSS: the bench process (which is the app) sampled every 10 ms. GET: a separate process on its own connection, a GET every ~1 ms during the deletion. Gap: between consecutive events as the subscriber received them (and between their `at` stamps). Each run reseeds; checked after each: nothing of the scope left, lookalikes kept, exact keysDeleted.',
  );
  return lines.join('\n');
}

export async function benchMillion(o: MillionOptions, log: (line: string) => void): Promise<MillionReport[]> {
  const reports: MillionReport[] = [];
  reports.push(await runOn(false, o, log));
  if (o.cluster) reports.push(await runOn(true, o, log));
  return reports;
}
