/**
 * Redis connections, configured to fail fast: an admin action against a Redis that is down should
 * answer "Redis unavailable" in about a second, not hang through a minute of retries.
 */
import 'server-only';
import type { EventEmitter } from 'node:events';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

/**
 * A connection to one Redis or to a cluster (REDIS_CLUSTER_NODES): the domains take either. Both
 * offer the same commands, pipelines, MULTI and scripts; what differs (`duplicate`, the nodes, the
 * slot map) is handled in server/redis/, told apart by `isCluster` (cluster.ts).
 */
export type RedisClient = Redis | Cluster;

export const failFast: RedisOptions = {
  maxRetriesPerRequest: 1,
  connectTimeout: 3000,
  // ioredis resends unanswered commands after a reconnect by default. A deletion we already reported
  // as failed must never run later behind the admin's back.
  autoResendUnfulfilledCommands: false,
  // Stop hammering a dead server: backoff up to 2 s between reconnect attempts.
  retryStrategy: (times) => Math.min(2 ** times * 50, 2000),
};

export function connect(url: string, name: string, overrides: RedisOptions = {}): Redis {
  const redis = new Redis(url, { ...failFast, connectionName: name, ...overrides });
  // Errors surface through each command; an unhandled 'error' event would only spam the log.
  redis.on('error', () => {});
  return redis;
}

/**
 * A connection for one blocking reader (XREAD BLOCK): blocking commands hold their connection,
 * so each reader needs its own. No command timeout: the block itself is bounded.
 */
export function connectBlocking(base: RedisClient, name: string): RedisClient {
  const overrides = { connectionName: name, commandTimeout: undefined };
  // A Cluster's duplicate takes (startup nodes, cluster options), the node options nested.
  const reader = base instanceof Cluster ? base.duplicate([], { lazyConnect: true, redisOptions: overrides }) : base.duplicate({ ...overrides, lazyConnect: true });
  (reader as EventEmitter).on('error', () => {});
  return reader;
}

const connectionErrors = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'Connection is closed',
  'max retries per request',
  'Stream isn\'t writeable',
  'Command timed out',
];

/** True for errors that mean "Redis cannot be reached", as opposed to a command Redis rejected. */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const text = `${err.name} ${err.message} ${(err as NodeJS.ErrnoException).code ?? ''}`;
  return connectionErrors.some((marker) => text.toLowerCase().includes(marker.toLowerCase()));
}
