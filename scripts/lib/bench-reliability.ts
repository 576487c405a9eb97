/**
 * The reliability figures of the Reliability issue, measured on whole app instances (the real
 * services, wired as the app wires them, two per case, sharing the bench's private Redis):
 * source fetches per read stampede, jobs per burst of identical requests, and the time to take
 * over the job of an instance that died.
 */
import { randomBytes } from 'node:crypto';
import { registryFromConfig } from '~/server/catalog/sources/registry';
import { envSchema } from '~/server/env';
import { connect } from '~/server/redis/connection';
import { wireServices } from '~/server/app/wiring';
import { sampleModels, startModelSource, type ModelSource } from './model-source';

export interface ReliabilityFigures {
  readers: number;
  fetches: number;
  requests: number;
  jobs: number;
  leaseMs: number;
  /** Milliseconds from the dead instance's last lease write to the job completed by another. */
  takeoverMs: number[];
}

const LEASE_MS = 1000;

export async function benchReliability(url: string): Promise<ReliabilityFigures> {
  const source = await startModelSource();
  const opened: ReturnType<typeof connect>[] = [];
  const instance = (prefix: string, name: string, registry = registryFromConfig(source.config(['groq']))) => {
    const adminRedis = connect(url, `${name}-admin`);
    const catalogRedis = connect(url, `${name}-catalog`);
    opened.push(adminRedis, catalogRedis);
    const env = envSchema.parse({ ADMIN_TOKEN: 'bench-admin-token-0123456789', CATALOG_PREFIX: `${prefix}catalog:`, ADMIN_PREFIX: `${prefix}admin:`, JOB_LEASE_MS: String(LEASE_MS) });
    return wireServices({ adminRedis, catalogRedis, sharedRedis: true, registry, env, instanceId: name });
  };
  try {
    const stampede = await measureStampede(source, instance);
    const jobs = await measureBurst(instance);
    const takeoverMs: number[] = [];
    for (let i = 0; i < 3; i++) takeoverMs.push(await measureTakeover(instance));
    return { readers: 200, fetches: stampede, requests: 100, jobs, leaseMs: LEASE_MS, takeoverMs };
  } finally {
    opened.forEach((r) => r.disconnect());
    await source.close();
  }
}

type Instance = (prefix: string, name: string) => ReturnType<typeof wireServices>;
const prefix = () => `benchrel:${randomBytes(3).toString('hex')}:`;

/** 200 concurrent readers of a missing provider, half on each instance; the source answers in 100 ms. */
async function measureStampede(source: ModelSource, instance: Instance): Promise<number> {
  const p = prefix();
  const [one, two] = [instance(p, 'reader-1'), instance(p, 'reader-2')];
  source.set('groq', { models: sampleModels('groq', 3), delayMs: 100 });
  const before = source.hits('groq');
  await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? one : two).cache.getProvider('groq')));
  return source.hits('groq') - before;
}

/** 100 identical concurrent `start` calls, half on each instance. */
async function measureBurst(instance: Instance): Promise<number> {
  const p = prefix();
  const [one, two] = [instance(p, 'burst-1'), instance(p, 'burst-2')];
  await one.cache.seed(['groq']);
  const actor = { kind: 'token' as const, label: 'bench' };
  const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? one : two).invalidation.start({ providers: ['groq'] }, actor)));
  await Promise.all([one.runner.drain(), two.runner.drain()]);
  return new Set(answers.map((a) => a.jobId)).size;
}

/** A job recorded by an instance that then never runs or renews it; another instance's worker finds it. */
async function measureTakeover(instance: Instance): Promise<number> {
  const p = prefix();
  const dead = instance(p, 'dead');
  const live = instance(p, 'live');
  dead.runner.close();
  await dead.cache.seed(['groq']);
  live.invalidation.worker.start();
  const createdAt = Date.now(); // the lease is written in the create round trip, and never renewed
  const { jobId } = await dead.invalidation.start({ providers: ['groq'] }, { kind: 'token', label: 'bench' });
  let last = '';
  for await (const item of live.invalidation.events(jobId, null)) last = item.event.type;
  const ms = Date.now() - createdAt;
  const record = await live.invalidation.get(jobId);
  await live.shutdown(0);
  if (last !== 'completed' || record.result?.takenOver?.by !== 'live') throw new Error(`takeover: job ended ${last}, taken over by ${record.result?.takenOver?.by ?? 'nobody'}`);
  return ms;
}
