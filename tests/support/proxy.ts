/**
 * A fault proxy in front of the test Redis, whichever the project uses: one proxy in front of the
 * redis-server, or on the cluster project one in front of each master, the cluster client dialling
 * them through a `natMap` (the nodes still announce their own addresses). Pause, resume, drop and
 * the counters act on every proxy at once, so a test reads the same on one Redis and on a cluster.
 */
import type { ClusterOptions } from 'ioredis';
import { startRedisProxy, type RedisProxy } from '~/scripts/lib/redis-proxy';
import { connectCluster, mastersOf } from '~/server/redis/cluster';
import { connect, type RedisClient } from '~/server/redis/connection';
import { clusterNodes, onCluster, redisUrl } from './redis';

export interface TestProxy extends Omit<RedisProxy, 'port' | 'url' | 'setDelay'> {
  /** A connection through the proxy (a Cluster client through every node's proxy on the cluster project). */
  connect(name: string, overrides?: ClusterOptions['redisOptions']): RedisClient;
  /** What the proxy stands for, as REDIS_URL or REDIS_CLUSTER_NODES (and its natMap) would say it. */
  readonly env: { REDIS_URL: string } | { REDIS_CLUSTER_NODES: string };
  /**
   * The connections a subscriber (a client of its own, SUBSCRIBE or XREAD BLOCK) adds: 1; on a
   * cluster 2, one that read the slot map and the one subscribed (ioredis subscribes on a node of
   * its own choosing).
   */
  readonly subscriberConnections: number;
  /** Each proxy by the address of the node behind it, as the cluster announces it (`127.0.0.1:7001`): to hold one node only. */
  readonly nodes: ReadonlyMap<string, RedisProxy>;
}

const hostPort = (address: string) => {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
};

/** `nodes`: the addresses of another cluster's nodes (masters and replicas), instead of the project's Redis. */
export async function startProxy(options: { delayMs?: number; nodes?: string[] } = {}): Promise<TestProxy> {
  if (!onCluster() && !options.nodes) {
    const url = new URL(redisUrl());
    const proxy = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) }, delayMs: options.delayMs });
    const nodes = new Map([[url.host, proxy]]);
    return { ...group([proxy]), env: { REDIS_URL: proxy.url }, subscriberConnections: 1, nodes, connect: (name, overrides) => connect(proxy.url, name, overrides) };
  }
  // Every node of the test cluster (it has no replicas), or of the one given, each behind its own proxy.
  const nodes = options.nodes ?? clusterNodes().split(',');
  const proxies = await Promise.all(nodes.map((n) => startRedisProxy({ target: hostPort(n), delayMs: options.delayMs })));
  const natMap = Object.fromEntries(nodes.map((n, i) => [n, { host: '127.0.0.1', port: (proxies[i] as RedisProxy).port }]));
  const through = proxies.map((p) => `127.0.0.1:${p.port}`).join(',');
  return {
    ...group(proxies),
    env: { REDIS_CLUSTER_NODES: through },
    subscriberConnections: 2,
    nodes: new Map(nodes.map((n, i) => [n, proxies[i] as RedisProxy])),
    connect: (name, overrides) => connectCluster(through, name, overrides, natMap),
  };
}

function group(proxies: RedisProxy[]): Omit<TestProxy, 'connect' | 'env' | 'subscriberConnections' | 'nodes'> {
  const each = (f: (p: RedisProxy) => void) => proxies.forEach(f);
  const sum = (f: (p: RedisProxy) => number) => proxies.reduce((n, p) => n + f(p), 0);
  return {
    roundTrips: () => sum((p) => p.roundTrips()),
    resetCounters: () => each((p) => p.resetCounters()),
    pause: () => each((p) => p.pause()),
    resume: () => each((p) => p.resume()),
    dropConnections: () => each((p) => p.dropConnections()),
    refuseConnections: (on) => each((p) => p.refuseConnections(on)),
    holdReplies: (on) => each((p) => p.holdReplies(on)),
    awaiting: () => sum((p) => p.awaiting()),
    connections: () => sum((p) => p.connections()),
    close: async () => void (await Promise.all(proxies.map((p) => p.close()))),
  };
}

/**
 * Connects a client to every node now (a PING each): a cluster client dials a node the first time
 * a command is routed there, so counting connections means counting after every node was met.
 */
export async function meetEveryNode(redis: RedisClient): Promise<void> {
  await Promise.all((await mastersOf(redis)).map((node) => node.ping()));
}
