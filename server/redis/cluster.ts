/**
 * Redis Cluster: connections (REDIS_CLUSTER_NODES), the masters to SCAN one by one, and sending a
 * list of single-slot operations grouped by node, one pipeline per node, all nodes in parallel, so
 * a batch costs one round trip whatever the number of slots it spans.
 *
 * ioredis does not resend a pipeline of writes hit by MOVED/ASK (a resharding): each operation hit
 * by one is resent here, once, to the node the redirection names (ASKING first for ASK). An
 * operation whose node connection closed unanswered (a master killed, its replica promoted) is
 * resent once too, after the slot map is read again. Any other error, or a second redirection or
 * loss, is the operation's result, reported by the caller. Nothing here
 * is atomic across slots: see the engine's cluster path (server/invalidation/cluster-batch.ts) for what that means.
 */
import 'server-only';
import calculateSlot from 'cluster-key-slot';
import { Cluster, type ChainableCommander, type ClusterOptions, type Redis } from 'ioredis';
import { failFast, isConnectionError, type RedisClient } from './connection';

export type { RedisClient } from './connection';

/** `host:port,host:port` → ioredis startup nodes. */
export function parseClusterNodes(list: string): { host: string; port: number }[] {
  return list
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean)
    .map((n) => {
      const at = n.lastIndexOf(':');
      return { host: n.slice(0, at), port: Number(n.slice(at + 1)) };
    });
}

/** `natMap` maps the addresses the nodes announce to the ones to dial (a NAT, or the tests' fault proxies). */
export function connectCluster(nodes: string, name: string, overrides: ClusterOptions['redisOptions'] = {}, natMap?: ClusterOptions['natMap']): Cluster {
  const cluster = new Cluster(parseClusterNodes(nodes), {
    natMap,
    redisOptions: { ...failFast, connectionName: name, ...overrides },
    // Explicit pipelines only: auto-pipelining misbehaves with EVALSHA and topology changes (ioredis #2109, #2075).
    enableAutoPipelining: false,
    scaleReads: 'master',
    clusterRetryStrategy: (times) => (times > 20 ? null : Math.min(100 * times, 2000)),
    slotsRefreshTimeout: 2000,
  });
  cluster.on('error', () => {});
  return cluster;
}

/** A cluster connection, told apart from one Redis (the domains take either: `RedisClient`). */
export function isCluster(redis: RedisClient): redis is Cluster {
  return (redis as { isCluster?: boolean }).isCluster === true;
}

/**
 * The connections to SCAN: every master of a cluster, or the one server. A cluster knows its nodes
 * only once it has connected and read the slot map, so a fresh connection is waited for first.
 */
export async function mastersOf(redis: RedisClient): Promise<Redis[]> {
  if (!isCluster(redis)) return [redis];
  await whenReady(redis);
  return redis.nodes('master');
}

/** Resolves once a cluster connection has its slot map (at once if it has), so grouping by node can see the nodes. */
async function whenReady(c: Cluster): Promise<void> {
  // A command waits in the offline queue until the slot map is read; PING routes to any node.
  if (c.status !== 'ready' || !c.nodes('master').length) await c.ping();
}

/** One operation on the keys of one slot: queued on a pipeline (of a node, or of a node after ASKING). */
export interface SlotOp {
  /** A key of the operation (they all share its slot). */
  key: string;
  /** Queues exactly one command (replies are matched to operations by position). */
  queue(target: ChainableCommander): void;
  /** Scripts the operation calls, defined on a node connection before a resend. */
  prepare?(node: Redis): void;
}

export interface SendStats {
  /** Pipelines sent (one per node touched), the resends included. */
  pipelines: number;
  /** Operations resent after MOVED/ASK. */
  redirected: number;
  /** Operations resent after their node's connection was lost (a failover). */
  resent?: number;
}

const nodeId = (r: Redis) => `${r.options.host}:${r.options.port}`;

/**
 * Sends every operation, grouped by the node that owns its slot (one pipeline per node, in
 * parallel), and returns each one's [error, reply] in order.
 */
export async function sendGrouped(cluster: Cluster, ops: SlotOp[], stats: SendStats = { pipelines: 0, redirected: 0 }, resent = false): Promise<[Error | null, unknown][]> {
  const results = await sendOnce(cluster, ops, stats);
  // A node lost (killed, or failing over to its replica): what its connection never answered is
  // sent once more, after the slot map is read again, to whoever owns the slot now. Only what got
  // no reply: UNLINK and GET again are harmless, and a fence bumped twice still fences.
  const lost: number[] = [];
  results.forEach(([err], i) => void (err && isConnectionError(err) && lost.push(i)));
  if (!lost.length || resent) return results;
  await new Promise<void>((resolve) => cluster.refreshSlotsCache(() => resolve()));
  const again = await sendGrouped(cluster, lost.map((i) => ops[i] as SlotOp), stats, true);
  stats.resent = (stats.resent ?? 0) + lost.length;
  lost.forEach((i, j) => (results[i] = again[j] ?? [new Error('no reply'), null]));
  return results;
}

async function sendOnce(c: Cluster, ops: SlotOp[], stats: SendStats): Promise<[Error | null, unknown][]> {
  await whenReady(c);
  const groups = new Map<string, number[]>();
  ops.forEach((op, i) => {
    const slot = calculateSlot(op.key);
    const owner = c.slots[slot]?.[0] ?? `slot:${slot}`;
    const list = groups.get(owner) ?? [];
    list.push(i);
    groups.set(owner, list);
  });
  // Every operation is in a group below, so each slot is filled; no Error is made per operation
  // ahead (a million per-model UNLINKs would capture a million stack traces for nothing).
  const results = new Array<[Error | null, unknown]>(ops.length);
  // Each group goes on its node's own connection: a Cluster pipeline re-checks every key against a
  // slot map that a refresh (after a MOVED) may replace between the grouping and the send, and then
  // refuses the whole pipeline ("same slots allocation group"). A node answers MOVED/ASK per
  // command instead, which is resent below.
  const byAddress = new Map(c.nodes('master').map((n) => [nodeId(n), n]));
  await Promise.all(
    [...groups.entries()].map(async ([owner, indexes]) => {
      const node = byAddress.get(owner);
      if (node) for (const i of indexes) ops[i]?.prepare?.(node);
      const pipeline = node ? node.pipeline() : c.pipeline();
      for (const i of indexes) (ops[i] as SlotOp).queue(pipeline);
      stats.pipelines += 1;
      const replies = (await pipeline.exec()) ?? [];
      indexes.forEach((i, j) => (results[i] = (replies[j] as [Error | null, unknown] | undefined) ?? [new Error('no reply'), null]));
    }),
  );
  // Resharding: each operation redirected is resent once, to the node named.
  const redirected = new Map<string, { ask: boolean; indexes: number[] }>();
  results.forEach(([err], i) => {
    const m = err ? /^(MOVED|ASK) \d+ (\S+)/.exec(err.message) : null;
    if (!m) return;
    const id = `${m[1]} ${m[2]}`;
    const entry = redirected.get(id) ?? { ask: m[1] === 'ASK', indexes: [] };
    entry.indexes.push(i);
    redirected.set(id, entry);
  });
  if (!redirected.size) return results;
  await Promise.all(
    [...redirected.entries()].map(async ([id, { ask, indexes }]) => {
      const target = id.split(' ')[1] as string;
      const node = c.nodes('all').find((n) => nodeId(n) === target);
      stats.pipelines += 1;
      stats.redirected += indexes.length;
      if (!node) {
        // A node this client has not met: learn the topology, then let the cluster route it.
        await new Promise<void>((resolve) => c.refreshSlotsCache(() => resolve()));
        const pipeline = c.pipeline();
        for (const i of indexes) (ops[i] as SlotOp).queue(pipeline);
        const replies = (await pipeline.exec()) ?? [];
        indexes.forEach((i, j) => (results[i] = (replies[j] as [Error | null, unknown] | undefined) ?? [new Error('no reply'), null]));
        return;
      }
      for (const i of indexes) ops[i]?.prepare?.(node);
      const pipeline = node.pipeline();
      for (const i of indexes) {
        if (ask) pipeline.asking();
        (ops[i] as SlotOp).queue(pipeline);
      }
      const replies = (await pipeline.exec()) ?? [];
      // With ASK, every other reply is ASKING's OK.
      indexes.forEach((i, j) => (results[i] = (replies[ask ? j * 2 + 1 : j] as [Error | null, unknown] | undefined) ?? [new Error('no reply'), null]));
    }),
  );
  if (redirected.size && [...redirected.keys()].some((k) => k.startsWith('MOVED'))) {
    // The slot map is stale: refresh it for the next batch (not awaited).
    c.refreshSlotsCache();
  }
  return results;
}

/**
 * Commands that would be one pipeline on one server, each queued with the key that routes it (every
 * key of one command must share that key's slot): one pipeline on one server, one per node on a
 * cluster (`sendAll`). `exec` answers [error, reply] per command in the order queued, so it is a
 * drop-in for a pipeline where the replies are read by position (execChecked takes it too).
 */
export interface KeyedBatch {
  /** Exactly one command per call. `prepare` defines the scripts it calls on a node's own connection (cluster only). */
  add(key: string, queue: (target: ChainableCommander) => unknown, prepare?: (node: Redis) => void): KeyedBatch;
  readonly length: number;
  exec(): Promise<[Error | null, unknown][]>;
}

export function keyedBatch(redis: RedisClient): KeyedBatch {
  const ops: SlotOp[] = [];
  const batch: KeyedBatch = {
    add(key, queue, prepare) {
      ops.push({ key, queue: (target) => void queue(target), prepare });
      return batch;
    },
    get length() {
      return ops.length;
    },
    exec: () => sendAll(redis, ops),
  };
  return batch;
}

/** One server: every operation in one pipeline; a cluster: grouped by node (`sendGrouped`). Replies in order. */
export async function sendAll(redis: RedisClient, ops: SlotOp[]): Promise<[Error | null, unknown][]> {
  if (isCluster(redis)) return sendGrouped(redis, ops);
  const pipeline = redis.pipeline();
  for (const op of ops) op.queue(pipeline);
  return ((await pipeline.exec()) ?? []) as [Error | null, unknown][];
}
