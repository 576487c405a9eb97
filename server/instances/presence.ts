/**
 * This instance as a participant of the confirmation protocol: its registration and heartbeat,
 * its one subscriber on the invalidation channel (fanned out in process: the tier drops copies,
 * waiting jobs count acks), the job-side announcement and wait, and the registry the panel lists.
 * The catalog is reached through callbacks, so this folder imports no other domain.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { joinInvalidations } from '~/clients/node/instance-client';
import type { Announcement, IgnoredReason, InstanceInfo, InstanceProtocolKeys } from '~/clients/node/instance-protocol';
import type { Env } from '~/server/env';
import type { Logger } from '~/server/log/logger';
import { connectBlocking } from '~/server/redis/connection';
import { createConfirmations } from './confirmations';
import { createInstanceRegistry } from './registry';
import type { LiveInstance } from './schema';

export interface PresenceDeps {
  redis: RedisClient;
  keys: InstanceProtocolKeys;
  identity: Pick<InstanceInfo, 'id' | 'kind' | 'version' | 'since'>;
  config: { heartbeatMs: number; ttlMs: number; confirmTimeoutMs: number; ackTtlMs: number };
  /** Drop the copies an announcement names (before the ack). */
  onInvalidate(a: Announcement): void;
  /** The channel was lost: drop every copy. */
  onLost(): void;
  holdings(): { entries: number; bytes: number };
  /** A message on the channel was refused and not acted on (a forged announcement, another protocol's). */
  onIgnored?(reason: IgnoredReason): void;
  now?: () => number;
  log?: Logger;
}

export type Presence = ReturnType<typeof createPresence>;

/** The protocol's timings as the environment sets them (an ack lives as long as the job history). */
export const presenceConfig = (env: Env): PresenceDeps['config'] => ({
  heartbeatMs: env.INSTANCE_HEARTBEAT_MS,
  ttlMs: env.INSTANCE_TTL_MS,
  confirmTimeoutMs: env.INSTANCE_CONFIRM_TIMEOUT_MS,
  ackTtlMs: env.HISTORY_RETENTION_DAYS * 86_400_000,
});

export function createPresence(deps: PresenceDeps) {
  const { redis, keys, config, now, log } = deps;
  const subscriber = connectBlocking(redis, 'invalidations');
  let started: Promise<void> | null = null;
  let confirmations: ReturnType<typeof createConfirmations> | null = null;
  const participant = joinInvalidations({
    redis,
    subscriber,
    adminPrefix: '',
    keysOverride: keys,
    identity: deps.identity,
    heartbeatMs: config.heartbeatMs,
    onInvalidate: deps.onInvalidate,
    onLost: deps.onLost,
    onAck: (notice) => confirmations?.onAck(notice),
    holdings: deps.holdings,
    now,
    onError: (err, what) => log?.debug({ err, what }, 'invalidation channel'),
    onIgnored: (reason, message) => {
      // Someone who may publish on the channel sent what no job sends: worth an operator's look.
      log?.warn({ reason, message: message.slice(0, 300) }, 'ignored a message on the invalidation channel');
      deps.onIgnored?.(reason);
    },
  });
  confirmations = createConfirmations({
    redis,
    keys,
    ttlMs: config.ttlMs,
    timeoutMs: config.confirmTimeoutMs,
    ackTtlMs: config.ackTtlMs,
    channelHealthy: participant.healthy,
    // The same drop the subscriber makes; one that fails drops everything, as the participant does.
    self: {
      id: participant.id,
      apply: (a) => {
        try {
          deps.onInvalidate(a);
        } catch (err) {
          log?.warn({ err }, 'could not drop the announced copies; dropping every copy');
          deps.onLost();
        }
      },
    },
    onError: (err, what) => log?.warn({ err, what }, 'invalidation announcement'),
    now,
  });
  const registry = createInstanceRegistry({ redis, keys, ttlMs: config.ttlMs, now });

  return {
    id: participant.id,
    /** The tier's view of the channel. */
    channel: { healthy: participant.healthy, epoch: participant.epoch, ignored: participant.ignored },
    /** Subscribes and registers (once); the tier serves hits only after this. */
    start(): Promise<void> {
      started ??= participant.start().catch((err: unknown) => {
        started = null;
        throw err;
      });
      return started;
    },
    confirm: confirmations.confirm,
    queueLiveRead: confirmations.queueLiveRead,
    list: registry.list,
    /** The live participants for the panel, this instance marked (`self`): the card's "This instance". */
    async live(): Promise<{ self: string; instances: (LiveInstance & { self: boolean })[] }> {
      const instances = await registry.list();
      return { self: participant.id, instances: instances.map((i) => ({ ...i, self: i.id === participant.id })) };
    },
    async stop(): Promise<void> {
      if (started) await participant.stop();
      subscriber.disconnect();
    },
  };
}
