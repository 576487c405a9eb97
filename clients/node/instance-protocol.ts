/**
 * The confirmation protocol between this app and every process that keeps a copy of the catalog
 * (this app's instances, and gateways in any language): its keys, its channel, its messages.
 * clients/PROTOCOL.md writes it out for other languages; clients/python/catalog_confirm.py implements it in Python, field for field as
 * instance-client.ts does (tests/server/instances/python-client.test.ts compares their ack records).
 *
 * Shared and dependency-free (zod only) so a Node gateway can import it without Next or the server;
 * `server/redis/keys.ts` exposes these keys beside every other one.
 *
 * - Registry: `<admin>{instances}:live`, a sorted set id → last heartbeat (ms since the epoch, the
 *   participant's own clock); `<admin>{instances}:info`, a hash id → InstanceInfo JSON. Live while
 *   the heartbeat is younger than INSTANCE_TTL_MS.
 * - Channel `<admin>{instances}:invalidations` (pub/sub): Announcement messages from jobs, Ack
 *   notifications from participants.
 * - Acks: `<admin>{instances}:acks:<jobId>`, a hash id → AckRecord JSON, expiring after the
 *   announcement's `ackTtlMs` (bounded). A participant builds this key itself, from its configured
 *   prefix and a job id that matches JOB_ID: never from a key named in a message (a gateway allowed
 *   to publish on the channel could otherwise make every participant write and expire any key,
 *   the audit trail included). `readChannelMessage` is the one gate: a message with anything
 *   unexpected (an unknown field, a job id outside the grammar, an `ackKey` other than the derived
 *   one, a TTL out of bounds) is ignored, with its reason, and nothing is dropped or written for it.
 */
import { z } from 'zod';

export interface InstanceProtocolKeys {
  /** A sorted set: participant id → its last heartbeat (ms). */
  instancesLive: string;
  /** A hash: participant id → InstanceInfo (JSON). */
  instancesInfo: string;
  /** The pub/sub channel of announcements and ack notifications. */
  invalidations: string;
  /** A hash: participant id → AckRecord (JSON), one per job. */
  invalidationAcks(jobId: string): string;
}

/**
 * A job id as the app mints it (`newJobId`, server/invalidation/store/store.ts): 9 base-36 digits of
 * its creation time, then 10 hex digits. No `{`, `}` or `:`, so an ack key stays in the `{instances}`
 * slot and under `acks:`; server/invalidation/schema.ts validates job ids with this same pattern.
 */
export const JOB_ID = /^[0-9a-z]{9}[0-9a-f]{10}$/;
/** A provider name (the app's PROVIDER_NAME, server/lib/names.ts; tests/clients compares the two). */
export const PROVIDER_NAME = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/;
/**
 * The bounds of an announced `ackTtlMs`. The floor outlives the longest wait for acks
 * (INSTANCE_CONFIRM_TIMEOUT_MS is at most 2 min), so no message can make a job's acks vanish before
 * it reads them; the ceiling is the longest history retention (HISTORY_RETENTION_DAYS ≤ 3650).
 */
export const ACK_TTL_MIN_MS = 600_000;
export const ACK_TTL_MAX_MS = 3650 * 86_400_000;
/** The TTL a participant uses when an announcement names none (the app's default retention, 30 days). */
export const ACK_TTL_DEFAULT_MS = 30 * 86_400_000;

/** The protocol's keys under the admin prefix (`cacheadmin:`). One `{instances}` hash tag: one slot on a cluster. */
export function instanceProtocolKeys(adminPrefix: string): InstanceProtocolKeys {
  const base = `${adminPrefix}{instances}:`;
  return {
    instancesLive: `${base}live`,
    instancesInfo: `${base}info`,
    invalidations: `${base}invalidations`,
    invalidationAcks: (jobId) => {
      // The one place an ack key is built: refuse what is not a job id rather than name another key.
      if (!JOB_ID.test(jobId)) throw new TypeError(`not a job id: ${JSON.stringify(jobId.slice(0, 40))}`);
      return `${base}acks:${jobId}`;
    },
  };
}

/** A generation as Redis returns it: a decimal counter (INCR), compared as a number. */
const seq = z.string().regex(/^\d+$/);

/**
 * A job's deletions, published once they are applied: per provider, the generation (the fence
 * counter of server/catalog/fence.ts, bumped by every invalidation: the provider's sequence
 * number) the batch left; `global` when the full catalog's generation moved too.
 */
export const announcementSchema = z.strictObject({
  type: z.literal('invalidate'),
  jobId: z.string().regex(JOB_ID),
  providers: z.record(z.string().regex(PROVIDER_NAME), seq),
  global: seq.nullable(),
  at: z.number(),
  /**
   * Informational, kept for participants written before the key was derived: when present it must
   * be exactly `invalidationAcks(jobId)` under the participant's own prefix, or the message is ignored.
   */
  ackKey: z.string().min(1).optional(),
  /** How long the ack hash lives, within [ACK_TTL_MIN_MS, ACK_TTL_MAX_MS]; absent: ACK_TTL_DEFAULT_MS. */
  ackTtlMs: z.number().int().min(ACK_TTL_MIN_MS).max(ACK_TTL_MAX_MS).optional(),
});
export type Announcement = z.infer<typeof announcementSchema>;

/** Published after the ack is stored: wakes the waiting job (the hash is what counts). */
export const ackNoticeSchema = z.strictObject({ type: z.literal('ack'), jobId: z.string().regex(JOB_ID), id: z.string().min(1).max(512) });
export type AckNotice = z.infer<typeof ackNoticeSchema>;

export const channelMessageSchema = z.discriminatedUnion('type', [announcementSchema, ackNoticeSchema]);
export type ChannelMessage = z.infer<typeof channelMessageSchema>;

/** Why a message was ignored: a bounded set, fit for a metric's label. */
export type IgnoredReason = 'malformed' | 'job_id' | 'provider' | 'ack_key' | 'ack_ttl';

/** What a participant takes from the channel: a message to act on, or the reason it is ignored. */
export type ChannelRead = { message: ChannelMessage; ignored?: undefined } | { message?: undefined; ignored: IgnoredReason };

/** The first field zod refused, as a reason. */
function reasonOf(path: readonly PropertyKey[]): IgnoredReason {
  const field = path[0];
  if (field === 'jobId') return 'job_id';
  if (field === 'providers') return 'provider';
  if (field === 'ackTtlMs') return 'ack_ttl';
  return 'malformed';
}

/**
 * The one gate between the channel and a participant: the message parsed strictly (an unknown
 * field, a job id outside JOB_ID, a provider name outside PROVIDER_NAME, a TTL out of bounds are
 * refused), and an announcement's `ackKey`, if any, compared with the key derived from the job id
 * under `keys` (this participant's own prefix). Never throws.
 */
export function readChannelMessage(raw: string, keys: InstanceProtocolKeys): ChannelRead {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ignored: 'malformed' };
  }
  const parsed = channelMessageSchema.safeParse(json);
  if (!parsed.success) return { ignored: reasonOf(parsed.error.issues[0]?.path ?? []) };
  const message = parsed.data;
  if (message.type === 'invalidate' && message.ackKey !== undefined && message.ackKey !== keys.invalidationAcks(message.jobId)) return { ignored: 'ack_key' };
  return { message };
}

/** Where a participant acknowledges an announcement, and for how long: derived, never read from the message. */
export function ackTarget(a: Announcement, keys: InstanceProtocolKeys): { key: string; ttlMs: number } {
  return { key: keys.invalidationAcks(a.jobId), ttlMs: a.ackTtlMs ?? ACK_TTL_DEFAULT_MS };
}

/** What a participant stores under its id in the ack hash: the sequences it applied. */
export const ackRecordSchema = z.object({ providers: z.record(z.string(), seq), global: seq.nullable(), at: z.number() });
export type AckRecord = z.infer<typeof ackRecordSchema>;

/** What a participant says about itself at every heartbeat. */
export const instanceInfoSchema = z.object({
  id: z.string().min(1),
  /** `app`: an instance of this panel; `gateway`: any other process holding copies. */
  kind: z.enum(['app', 'gateway']),
  version: z.string(),
  /** When the process started (ms). */
  since: z.number(),
  heartbeatAt: z.number(),
  /** Copies held now (provider catalogs and the full catalog). */
  entries: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative().optional(),
});
export type InstanceInfo = z.infer<typeof instanceInfoSchema>;

/** `host:pid:startedAt` (base 36): unique per process, readable in the panel. */
export const instanceIdOf = (host: string, pid: number, startedAt: number) => `${host}:${pid}:${startedAt.toString(36)}`;

