/**
 * A participant in the confirmation protocol (instance-protocol.ts): what any process holding
 * catalog copies runs, this app's instances and Node gateways alike (a gateway imports this file;
 * it needs ioredis and zod, nothing of Next or the server).
 *
 * It registers and heartbeats (`ZADD live`, `HSET info`, every `heartbeatMs`), subscribes a
 * dedicated connection to the channel, and for each announcement calls `onInvalidate` (drop your
 * copies, synchronously) and only then acknowledges: `HSET` of the sequences applied, `PEXPIRE`,
 * and a `PUBLISH` notice, in one MULTI, into the ack key it derives from the job id under its own
 * prefix (`ackTarget`). A message that `readChannelMessage` refuses (an unknown field, a job id
 * outside the grammar, an `ackKey` naming another key, a TTL out of bounds) is counted, reported
 * to `onIgnored`, and not acted on: nothing dropped, nothing written.
 *
 * Lost messages. Pub/sub delivers at most once: whenever the subscriber connection closes,
 * `onLost` is called (drop everything) and `healthy()` is false until the connection is back and a
 * PING sent on it after the resubscription has been answered. Because Redis answers a connection's
 * commands in order, that PONG also proves every message published before the PING was read. The
 * PING repeats every heartbeat: a connection that silently stops answering (a partition, a frozen
 * peer) stops being healthy `healthWindowMs` after the last answered PING was sent.
 */
import type { Cluster, Redis } from 'ioredis';

/** One Redis or a cluster, as the gateway connects. */
type Connection = Redis | Cluster;
import {
  ackNoticeSchema,
  ackTarget,
  instanceProtocolKeys,
  readChannelMessage,
  type AckNotice,
  type AckRecord,
  type Announcement,
  type IgnoredReason,
  type InstanceInfo,
  type InstanceProtocolKeys,
} from './instance-protocol';

export interface ParticipantOptions {
  /** Commands: heartbeats and acks. */
  redis: Connection;
  /** A connection of its own (pub/sub holds it): subscribed here, never used for anything else. */
  subscriber: Connection;
  adminPrefix: string;
  /** The keys as the caller already built them (this app's keys.ts); else built from `adminPrefix`. */
  keysOverride?: InstanceProtocolKeys;
  identity: Pick<InstanceInfo, 'id' | 'kind' | 'version' | 'since'>;
  heartbeatMs: number;
  /** How long after the last answered PING was sent the channel still counts as healthy (default 2 × heartbeatMs). */
  healthWindowMs?: number;
  /** Drop the copies the announcement names. Called before the ack is written; must not throw. */
  onInvalidate(announcement: Announcement): void;
  /** The channel was down: messages may have been lost. Drop every copy. */
  onLost(): void;
  /** Ack notices of other participants (the waiting job listens to them). */
  onAck?(notice: AckNotice): void;
  /** What this participant holds now, reported at every heartbeat. */
  holdings?: () => { entries: number; bytes?: number };
  now?: () => number;
  onError?(err: unknown, what: string): void;
  /** A message on the channel was refused (forged, or another protocol's): nothing was done for it. */
  onIgnored?(reason: IgnoredReason, message: string): void;
}

export type Participant = ReturnType<typeof joinInvalidations>;

export function joinInvalidations(options: ParticipantOptions) {
  const { redis, subscriber, identity, heartbeatMs, now = Date.now, onError = () => {} } = options;
  const keys = options.keysOverride ?? instanceProtocolKeys(options.adminPrefix);
  const windowMs = options.healthWindowMs ?? 2 * heartbeatMs;
  let timer: ReturnType<typeof setInterval> | null = null;
  /** Bumped at every loss: a PING sent before a loss proves nothing after it. */
  let epoch = 0;
  let lastPongSentAt: number | null = null;
  let connected = false;
  let stopped = false;
  let ignored = 0;

  function lost(): void {
    epoch += 1;
    lastPongSentAt = null;
    options.onLost();
  }

  async function ping(): Promise<void> {
    const sentAt = now();
    const at = epoch;
    await subscriber.ping();
    if (at === epoch && connected) lastPongSentAt = Math.max(lastPongSentAt ?? 0, sentAt);
  }

  async function heartbeat(): Promise<void> {
    const held = options.holdings?.() ?? { entries: 0 };
    const at = now();
    const info: InstanceInfo = { ...identity, heartbeatAt: at, entries: held.entries, ...(held.bytes !== undefined ? { bytes: held.bytes } : {}) };
    await redis.multi().zadd(keys.instancesLive, at, identity.id).hset(keys.instancesInfo, identity.id, JSON.stringify(info)).exec();
  }

  async function acknowledge(a: Announcement): Promise<void> {
    const record: AckRecord = { providers: a.providers, global: a.global, at: now() };
    const notice: AckNotice = ackNoticeSchema.parse({ type: 'ack', jobId: a.jobId, id: identity.id });
    const target = ackTarget(a, keys);
    await redis.multi().hset(target.key, identity.id, JSON.stringify(record)).pexpire(target.key, target.ttlMs).publish(keys.invalidations, JSON.stringify(notice)).exec();
  }

  function onMessage(channel: string, message: string): void {
    if (channel !== keys.invalidations) return;
    const read = readChannelMessage(message, keys);
    if (read.ignored) {
      ignored += 1;
      options.onIgnored?.(read.ignored, message);
      return;
    }
    const parsed = read.message;
    if (parsed.type === 'ack') {
      options.onAck?.(parsed);
      return;
    }
    try {
      options.onInvalidate(parsed);
    } catch (err) {
      // Could not drop: drop everything rather than ack a copy still held.
      onError(err, 'dropping copies');
      lost();
    }
    acknowledge(parsed).catch((err: unknown) => onError(err, 'acknowledging'));
  }

  const tick = () => {
    heartbeat().catch((err: unknown) => onError(err, 'heartbeat'));
    ping().catch((err: unknown) => onError(err, 'subscriber ping'));
  };

  return {
    id: identity.id,
    keys,
    /** Subscribes, registers, and resolves once the channel is healthy. */
    async start(): Promise<void> {
      subscriber.on('message', onMessage);
      subscriber.on('close', () => {
        if (connected) lost();
        connected = false;
      });
      subscriber.on('ready', () => {
        connected = true;
        // After a reconnect ioredis resubscribed first; this PING is answered after that, so healthy again.
        if (!stopped) ping().catch((err: unknown) => onError(err, 'subscriber ping'));
      });
      await subscriber.subscribe(keys.invalidations);
      connected = true;
      await Promise.all([ping(), heartbeat()]);
      timer = setInterval(tick, heartbeatMs);
      timer.unref?.();
    },
    /** In-process copies may be served: the channel is up and was proven so less than the window ago. */
    healthy(): boolean {
      return !stopped && connected && lastPongSentAt !== null && now() - lastPongSentAt <= windowMs;
    },
    /** Changes at every loss of the channel: a read begun in one epoch must not store into another. */
    epoch: () => epoch,
    /** Messages refused since the start (each also reported to `onIgnored`). */
    ignored: () => ignored,
    /** Leaves the registry (a stopped participant is not awaited) and the channel. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await redis.multi().zrem(keys.instancesLive, identity.id).hdel(keys.instancesInfo, identity.id).exec().catch((err: unknown) => onError(err, 'leaving the registry'));
      subscriber.off('message', onMessage);
      await subscriber.unsubscribe(keys.invalidations).catch(() => undefined);
    },
  };
}
