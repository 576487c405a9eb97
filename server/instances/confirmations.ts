/**
 * A job's announcement and the wait for its acknowledgements (the protocol: server/lib/instance-protocol.ts).
 *
 * One round trip announces: a MULTI that reads who is live (heartbeat younger than INSTANCE_TTL_MS)
 * and PUBLISHes the announcement, so the expected set and the message leave together. Each
 * participant stores its ack in the job's ack hash and then publishes a notice; this instance's
 * own subscriber hands the notices here, so a job whose participants all answer costs no further
 * round trip. Otherwise, at the deadline (INSTANCE_CONFIRM_TIMEOUT_MS), one read of the hash picks
 * up acks whose notice was lost and one reads the missing participants' last heartbeats; while this
 * instance's own channel is unhealthy the hash is polled instead of waiting for notices.
 *
 * Not guaranteed: that a participant which acked still holds nothing old if it then loses its
 * channel (it flushes then; see the tier), nor that a participant which registered after the
 * announcement is awaited (it began reading after the deletions, so it holds nothing older).
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import type { AckNotice, Announcement, InstanceProtocolKeys } from '~/server/lib/instance-protocol';
import type { InstancesConfirmation } from './schema';

export interface ConfirmationsDeps {
  redis: RedisClient;
  keys: InstanceProtocolKeys;
  ttlMs: number;
  timeoutMs: number;
  /** How long the ack hash lives (the job's history retention). */
  ackTtlMs: number;
  /** Whether this instance's own subscriber receives notices now; if not, the hash is polled. */
  channelHealthy: () => boolean;
  pollMs?: number;
  now?: () => number;
}

export type Confirmations = ReturnType<typeof createConfirmations>;

export function createConfirmations({ redis, keys, ttlMs, timeoutMs, ackTtlMs, channelHealthy, pollMs = 250, now = Date.now }: ConfirmationsDeps) {
  const waiters = new Map<string, Set<(id: string) => void>>();

  /** Called by this instance's participant for every ack notice on the channel. */
  function onAck(notice: AckNotice): void {
    for (const w of waiters.get(notice.jobId) ?? []) w(notice.id);
  }

  /**
   * Announces what the job's batch left (`generations`: provider → generation, null → global) and
   * waits for every live participant's ack, at most `timeoutMs`. `roundTrip` counts Redis calls.
   */
  async function confirm(jobId: string, generations: ReadonlyMap<string | null, string>, roundTrip: () => void = () => {}): Promise<InstancesConfirmation> {
    const providers: Record<string, string> = {};
    for (const [name, gen] of generations) if (name !== null) providers[name] = gen;
    const ackKey = keys.invalidationAcks(jobId);
    const announcement: Announcement = { type: 'invalidate', jobId, providers, global: generations.get(null) ?? null, at: now(), ackKey, ackTtlMs };
    const acked = new Set<string>();
    let wake: () => void = () => {};
    const waiter = (id: string) => {
      acked.add(id);
      wake();
    };
    // Listening before the announcement leaves: an ack may come back before the MULTI's reply.
    const set = waiters.get(jobId) ?? new Set();
    set.add(waiter);
    waiters.set(jobId, set);
    try {
      const sentAt = now();
      roundTrip();
      const replies = await redis
        .multi()
        .zrangebyscore(keys.instancesLive, sentAt - ttlMs, '+inf', 'WITHSCORES')
        .publish(keys.invalidations, JSON.stringify(announcement))
        .exec();
      const [liveReply] = replies ?? [];
      if (!replies || liveReply?.[0]) throw liveReply?.[0] ?? new Error('Redis aborted the announcement');
      const flat = liveReply?.[1] as string[];
      const expected = new Map<string, number>();
      for (let i = 0; i + 1 < flat.length; i += 2) expected.set(flat[i] as string, Number(flat[i + 1]));
      const deadline = sentAt + timeoutMs;
      const done = () => [...expected.keys()].every((id) => acked.has(id));
      const readAcks = async () => {
        roundTrip();
        for (const id of await redis.hkeys(ackKey)) acked.add(id);
      };
      while (!done() && now() < deadline) {
        const wait = Math.max(0, deadline - now());
        const polling = !channelHealthy();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, polling ? Math.min(pollMs, wait) : wait);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = () => {};
        if (polling && !done()) await readAcks();
      }
      if (!done()) await readAcks();
      const missingIds = [...expected.keys()].filter((id) => !acked.has(id));
      let lastSeen: (string | null)[] = [];
      if (missingIds.length) {
        roundTrip();
        lastSeen = await redis.zmscore(keys.instancesLive, ...missingIds);
      }
      return {
        confirmed: expected.size - missingIds.length,
        total: expected.size,
        missing: missingIds.map((id, i) => ({ id, lastHeartbeatAt: lastSeen[i] == null ? null : Number(lastSeen[i]) })),
      };
    } finally {
      set.delete(waiter);
      if (!set.size) waiters.delete(jobId);
    }
  }

  return { confirm, onAck };
}
