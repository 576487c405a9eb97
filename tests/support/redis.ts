/**
 * Test helpers: every test works under its own random prefixes on the private test Redis, and
 * builds the real services (no mocks) around them.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { expect, inject } from 'vitest';
import { until } from './until';
import { createRegistry, loadBundledSources, type ProviderRegistry } from '~/server/catalog/sources/registry';
import type { ProviderSource } from '~/server/catalog/sources/sources';
import { envSchema } from '~/server/env';
import { connectCluster, mastersOf } from '~/server/redis/cluster';
import { connect, type RedisClient } from '~/server/redis/connection';
import { wireServices } from '~/server/app/wiring';
import type { Logger } from '~/server/log/logger';
import type { TestProxy } from './proxy';

export const redisUrl = () => inject('redisUrl');
/** `cluster` in the cluster project: the harness and `client()` connect to the private 3-master cluster. */
export const onCluster = () => inject('redisMode') === 'cluster';
export const clusterNodes = () => inject('clusterNodes');

export function namespace() {
  const id = randomBytes(4).toString('hex');
  return { catalogPrefix: `t${id}:catalog:`, adminPrefix: `t${id}:admin:`, id };
}

/** A plain client for arranging and checking data (through a proxy if given); closed by `closeAll`. */
const opened: RedisClient[] = [];
export function client(url?: string | TestProxy): RedisClient {
  if (typeof url === 'object') {
    const through = url.connect('test-client', { maxRetriesPerRequest: 1 });
    opened.push(through);
    return through;
  }
  if (!url && onCluster()) {
    const cluster = connectCluster(clusterNodes(), 'test-client');
    opened.push(cluster);
    return cluster;
  }
  const redis = new Redis(url ?? redisUrl(), { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  opened.push(redis);
  return redis;
}

export async function closeAll(): Promise<void> {
  await Promise.all(opened.splice(0).map((r) => r.quit().catch(() => r.disconnect())));
}

/** In-memory sources named `p0001`…: for scale tests where bundled data is too small. */
export function syntheticRegistry(count: number): ProviderRegistry {
  const sources: ProviderSource[] = Array.from({ length: count }, (_, i) => {
    const provider = `p${String(i + 1).padStart(4, '0')}`;
    return {
      provider,
      displayName: provider.toUpperCase(),
      description: 'synthetic',
      load: async () => ({
        provider,
        displayName: provider.toUpperCase(),
        models: [{ id: `${provider}-model`, name: 'M', contextLength: 8192, pricing: { inputPerMTok: 1, outputPerMTok: 2 }, modalities: ['text'] }],
      }),
    };
  });
  return createRegistry(sources);
}

export const bundledRegistry = () => createRegistry(loadBundledSources());

export interface HarnessOptions {
  registry?: ProviderRegistry;
  /** Where the invalidation engine connects (a proxy, in fault and round-trip tests): a URL means one redis-server. */
  catalogUrl?: string;
  adminUrl?: string;
  /** Through a fault proxy in front of the project's Redis (tests/support/proxy.ts): a cluster on the cluster project. */
  catalogVia?: TestProxy;
  adminVia?: TestProxy;
  /** Another cluster (`host:port,…`) for both connections, instead of the project's Redis. */
  clusterNodes?: string;
  maxKeysPerBatch?: number;
  retryDelaysMs?: number[];
  /** How long refresh-and-verify waits for a source (REFRESH_TIMEOUT_MS). */
  refreshTimeoutMs?: number;
  /** How long a schedule's claim holds (the time another instance waits for a claimer that died). */
  scheduleLeaseMs?: number;
  /** Reuse another harness's prefixes (a second app instance over the same data). */
  ns?: ReturnType<typeof namespace>;
  /** Extra environment (JOB_LEASE_MS, REBUILD_WAIT_MS, limits, retention…), parsed like the app's. */
  env?: Record<string, string>;
  instanceId?: string;
  now?: () => number;
  /** A logger that captures (log tests); otherwise silent unless env.LOG_LEVEL says. */
  log?: Logger;
  /** WEBHOOK_URLS as given, past the start-up check (tests of the redaction behind that check). */
  webhookUrls?: string[];
}

/** The harness's bootstrap admin token (Bearer, or the login form with no username). */
export const HARNESS_ADMIN_TOKEN = 'unused-in-these-tests-0123456789';

/** The real services, wired as the app wires them, on fresh prefixes. */
export function harness(options: HarnessOptions = {}) {
  const ns = options.ns ?? namespace();
  // On the cluster project, both connections go to the cluster unless a test points one at a URL
  // (then both are on one redis-server, as before the cluster project existed).
  const cluster = (onCluster() || options.clusterNodes !== undefined) && !options.adminUrl && !options.catalogUrl;
  const open = (via: TestProxy | undefined, url: string | undefined, name: string, overrides = {}) => {
    if (via) return via.connect(name, overrides);
    return cluster ? connectCluster(options.clusterNodes ?? clusterNodes(), name, overrides) : connect(url ?? redisUrl(), name, overrides);
  };
  const adminRedis = open(options.adminVia, options.adminUrl, 'test-admin');
  const catalogRedis = open(options.catalogVia, options.catalogUrl, 'test-catalog', cluster ? { commandTimeout: 15_000 } : {});
  opened.push(adminRedis, catalogRedis);
  // As the app decides it: one address for both means one server (a proxy in between makes it another).
  const where = (via: TestProxy | undefined, url: string | undefined) => via ?? url ?? redisUrl();
  // Quiet unless a test asks for a level (LOG_LEVEL) or passes its own logger; scrypt at 2^15 (the floor) keeps account tests quick (the default 2^17 is tested in passwords.test.ts and over HTTP).
  // The catalog guard is off unless a test turns it on (CATALOG_GUARD: 'on'): most tests stage
  // catalog changes (a model removed of two) that its default rules would hold.
  const env = envSchema.parse({ ADMIN_TOKEN: HARNESS_ADMIN_TOKEN, CATALOG_PREFIX: ns.catalogPrefix, ADMIN_PREFIX: ns.adminPrefix, LOG_LEVEL: 'silent', SCRYPT_LOG2_N: '15', CATALOG_GUARD: 'off', ...options.env });
  const services = wireServices({
    adminRedis,
    catalogRedis,
    sharedRedis: where(options.catalogVia, options.catalogUrl) === where(options.adminVia, options.adminUrl),
    registry: options.registry ?? bundledRegistry(),
    env: {
      ...env,
      INVALIDATION_BATCH_KEYS: options.maxKeysPerBatch ?? env.INVALIDATION_BATCH_KEYS,
      REFRESH_TIMEOUT_MS: options.refreshTimeoutMs ?? env.REFRESH_TIMEOUT_MS,
      SCHEDULE_MIN_INTERVAL_SECONDS: 1,
      WEBHOOK_URLS: options.webhookUrls ?? env.WEBHOOK_URLS,
    },
    retryDelaysMs: options.retryDelaysMs,
    scheduleLeaseMs: options.scheduleLeaseMs,
    instanceId: options.instanceId,
    now: options.now,
    log: options.log,
  });
  return { ns, ...services };
}

export type Harness = ReturnType<typeof harness>;

/** Starts a job as a token and waits until its record says it ended (completed or failed); returns the record. */
export async function runToEnd(h: Harness, providers: string[]) {
  const { jobId } = await h.invalidation.start({ providers }, { kind: 'token', label: 't' });
  await until(async () => expect(['completed', 'failed']).toContain((await h.invalidation.get(jobId)).status));
  return h.invalidation.get(jobId);
}

/** Collects a job's events until its stream ends. */
export async function collectEvents(h: Harness, jobId: string, lastEventId: string | null = null) {
  const events = [];
  for await (const item of h.invalidation.events(jobId, lastEventId)) events.push(item);
  return events;
}

/** Every key under a prefix (tests only: SCAN over a private server). */
export async function keysUnder(redis: RedisClient, prefix: string): Promise<string[]> {
  const found = new Set<string>();
  // A cluster: every master in turn (SCAN on a Cluster goes to one random node).
  for (const node of await mastersOf(redis)) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      batch.forEach((k) => found.add(k));
    } while (cursor !== '0');
  }
  return [...found].sort();
}
