/**
 * What every domain's builder shares: the parsed configuration, the key layout, and the instance's
 * identity, log, metrics and clock. Created here and nowhere else; the app and the tests differ
 * only in what they pass (tests pin the clock and capture the log).
 */
import 'server-only';
import { hostname } from 'node:os';
import { instrumentRegistry } from '~/server/catalog/sources/instrument';
import type { ProviderRegistry } from '~/server/catalog/sources/registry';
import type { Env } from '~/server/env';
import { createLogger, type Logger } from '~/server/log/logger';
import { createMetrics, type Metrics } from '~/server/metrics/metrics';
import type { RedisClient } from '~/server/redis/cluster';
import { adminKeys, catalogKeys } from '~/server/redis/keys';

export interface WiringOptions {
  adminRedis: RedisClient;
  catalogRedis: RedisClient;
  registry: ProviderRegistry;
  /** Parsed by `envSchema`: every value present, defaults applied there and nowhere else. */
  env: Env;
  /** The catalog lives in the jobs' Redis (same server): a job's `started` write rides in its batch. */
  sharedRedis: boolean;
  /** Waits between attempts to record a failed job while Redis is down (tests shorten them). */
  retryDelaysMs?: number[];
  /** Default: host:pid, the id leases and logs use. */
  instanceId?: string;
  /** How long a schedule's claim holds before another instance may fire it (tests shorten it). */
  scheduleLeaseMs?: number;
  /** The clock of jobs and leases (tests pin it). */
  now?: () => number;
  /** The instance's log (default: JSON on stdout at LOG_LEVEL); tests pass one that captures. */
  log?: Logger;
  /** The process's own metrics (CPU, memory, event loop, GC): only the one real instance of a process. */
  processMetrics?: boolean;
  /** When this process started (the participant id's third part; tests pin it). */
  startedAt?: number;
}

export function wireBase(options: WiringOptions) {
  const { env } = options;
  // A custom layout is checked against the configured names here: one key for two purposes stops the start.
  const keys = { catalog: catalogKeys(env.CATALOG_PREFIX, { templates: env.catalogTemplates, providers: options.registry.names() }), admin: adminKeys(env.ADMIN_PREFIX) };
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}`;
  const log = options.log ?? createLogger({ level: env.LOG_LEVEL, instance: instanceId, pretty: env.LOG_PRETTY });
  const metrics: Metrics = createMetrics({ processMetrics: options.processMetrics });
  return {
    ...options,
    keys,
    instanceId,
    log,
    metrics,
    // Every source fetch (readers, refreshes, pricing) is timed here, once, whoever asks.
    registry: instrumentRegistry(options.registry, metrics.sourceFetched),
    clock: options.now ?? Date.now,
    /** Aborted by `shutdown`: live streams end with an error their clients resume from on another instance. */
    closing: new AbortController(),
  };
}

export type Base = ReturnType<typeof wireBase>;

/** What each builder returns beside its services: how its background work starts and stops. */
export interface Lifecycle {
  start(): void;
  shutdown(graceMs: number): Promise<void>;
}
