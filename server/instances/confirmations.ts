/**
 * A job's announcement and the wait for its acknowledgements (the protocol: clients/node/instance-protocol.ts).
 *
 * Who is awaited: the participants live (heartbeat younger than INSTANCE_TTL_MS) when the deletions
 * were applied. On one Redis the job reads that set inside its last batch's MULTI
 * (`queueLiveRead`), atomically with the deletions, so it costs no round trip; otherwise (a
 * cluster, or the catalog on its own Redis) one MULTI reads it and PUBLISHes the announcement, so
 * the expected set and the message leave together.
 *
 * This instance is counted in process: the job drops its own copies (`self.apply`, the same call
 * its subscriber makes) before the announcement leaves, so it waits for no ack of its own through
 * Redis. Its subscriber still receives the announcement and acks it like any participant (the wire
 * is unchanged). When this instance is the only one expected, the announcement is published
 * without waiting for its reply: it leaves on the connection ahead of the job's terminal write and
 * costs no round trip of its own. Each other participant stores its ack in the job's ack hash and
 * then publishes a notice; this instance's own subscriber hands the notices here, so a job whose
 * participants all answer costs no further round trip. Otherwise, at the deadline
 * (INSTANCE_CONFIRM_TIMEOUT_MS), one read of the hash picks up acks whose notice was lost and one
 * reads the missing participants' last heartbeats; while this instance's own channel is unhealthy
 * the hash is polled instead of waiting for notices.
 *
 * Not guaranteed: that a participant which acked still holds nothing old if it then loses its
 * channel (it flushes then; see the tier), nor that a participant which registered after the
 * deletions is awaited (it began reading after them, so it holds nothing older).
 */
import 'server-only';
import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from '~/server/redis/cluster';
import { ACK_TTL_MAX_MS, ACK_TTL_MIN_MS, type AckNotice, type Announcement, type InstanceProtocolKeys } from '~/clients/node/instance-protocol';
import type { InstancesConfirmation } from './schema';

export interface ConfirmationsDeps {
  redis: RedisClient;
  keys: InstanceProtocolKeys;
  ttlMs: number;
  timeoutMs: number;
  /** How long the ack hash lives (the job's history retention), kept within the protocol's bounds. */
  ackTtlMs: number;
  /** Whether this instance's own subscriber receives notices now; if not, the hash is polled. */
  channelHealthy: () => boolean;
  /** This instance: its id and its own drop (must not throw), applied in process instead of awaited through Redis. */
  self?: { id: string; apply(a: Announcement): void };
  pollMs?: number;
  now?: () => number;
  onError?: (err: unknown, what: string) => void;
}

/** Participants live when the set was read: id → last heartbeat (ms). */
export type LiveSet = ReadonlyMap<string, number>;

/** ZRANGEBYSCORE … WITHSCORES, flat, into a map. */
function parseLive(flat: unknown): Map<string, number> {
  const list = flat as string[];
  const live = new Map<string, number>();
  for (let i = 0; i + 1 < list.length; i += 2) live.set(list[i] as string, Number(list[i + 1]));
  return live;
}

export type Confirmations = ReturnType<typeof createConfirmations>;

export function createConfirmations({ redis, keys, ttlMs, timeoutMs, ackTtlMs, channelHealthy, self, pollMs = 250, now = Date.now, onError = () => {} }: ConfirmationsDeps) {
  const waiters = new Map<string, Set<(id: string) => void>>();

  /** Called by this instance's participant for every ack notice on the channel. */
  function onAck(notice: AckNotice): void {
    for (const w of waiters.get(notice.jobId) ?? []) w(notice.id);
  }

  /**
   * Queues the read of who is live into a MULTI the job sends anyway (its last batch's, on the same
   * Redis as the registry); the returned function turns its reply into the set `confirm` takes.
   */
  function queueLiveRead(multi: ChainableCommander): (reply: [Error | null, unknown] | undefined) => LiveSet | undefined {
    multi.zrangebyscore(keys.instancesLive, now() - ttlMs, '+inf', 'WITHSCORES');
    return (reply) => (reply && !reply[0] ? parseLive(reply[1]) : undefined);
  }

  /**
   * Announces what the job's batch left (`generations`: provider → generation, null → global) and
   * waits for every live participant's ack, at most `timeoutMs`. `live`: the set read with the
   * batch (else read here, with the announcement). `roundTrip` counts Redis calls.
   */
  async function confirm(jobId: string, generations: ReadonlyMap<string | null, string>, roundTrip: () => void = () => {}, live?: LiveSet): Promise<InstancesConfirmation> {
    const providers: Record<string, string> = {};
    for (const [name, gen] of generations) if (name !== null) providers[name] = gen;
    // The key every participant derives from the job id (the protocol's one builder) and reads here;
    // `ackKey` is still sent, for participants that predate the derivation, and must equal it.
    const ackKey = keys.invalidationAcks(jobId);
    const ttlMs = Math.min(ACK_TTL_MAX_MS, Math.max(ACK_TTL_MIN_MS, ackTtlMs));
    const announcement: Announcement = { type: 'invalidate', jobId, providers, global: generations.get(null) ?? null, at: now(), ackKey, ackTtlMs: ttlMs };
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
      // Before the announcement leaves: this instance's copies go first, and it needs no ack of its own.
      if (self) {
        self.apply(announcement);
        acked.add(self.id);
      }
      const message = JSON.stringify(announcement);
      let expected: LiveSet;
      if (live) {
        expected = live;
        const published = redis.publish(keys.invalidations, message);
        // Nobody else to hear from: the PUBLISH leaves ahead of the job's next write, unawaited.
        if ([...expected.keys()].every((id) => acked.has(id))) published.catch((err: unknown) => onError(err, 'announcing'));
        else {
          roundTrip();
          await published;
        }
      } else {
        roundTrip();
        const replies = await redis.multi().zrangebyscore(keys.instancesLive, sentAt - ttlMs, '+inf', 'WITHSCORES').publish(keys.invalidations, message).exec();
        const [liveReply] = replies ?? [];
        if (!replies || liveReply?.[0]) throw liveReply?.[0] ?? new Error('Redis aborted the announcement');
        expected = parseLive(liveReply?.[1]);
      }
      const deadline = sentAt + timeoutMs;
      const done = () => [...expected.keys()].every((id) => acked.has(id));
      const readAcks = async () => {
        roundTrip();
        for (const id of await redis.hkeys(ackKey)) acked.add(id);
      };
      let justRead = false;
      while (!done() && now() < deadline) {
        const wait = Math.max(0, deadline - now());
        const polling = !channelHealthy();
        justRead = false;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, polling ? Math.min(pollMs, wait) : wait);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = () => {};
        if (polling && !done()) {
          await readAcks();
          justRead = true;
        }
      }
      // A poll that ended the wait already read the hash at the deadline.
      if (!done() && !justRead) await readAcks();
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

  return { confirm, onAck, queueLiveRead };
}
