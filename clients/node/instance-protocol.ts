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
 * - Acks: `<admin>{instances}:acks:<jobId>`, a hash id → AckRecord JSON, expiring with the job's
 *   announcement (`ackTtlMs`); the announcement names the key, so a participant builds no job key.
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

/** The protocol's keys under the admin prefix (`cacheadmin:`). One `{instances}` hash tag: one slot on a cluster. */
export function instanceProtocolKeys(adminPrefix: string): InstanceProtocolKeys {
  const base = `${adminPrefix}{instances}:`;
  return {
    instancesLive: `${base}live`,
    instancesInfo: `${base}info`,
    invalidations: `${base}invalidations`,
    invalidationAcks: (jobId) => `${base}acks:${jobId}`,
  };
}

/** A generation as Redis returns it: a decimal counter (INCR), compared as a number. */
const seq = z.string().regex(/^\d+$/);

/**
 * A job's deletions, published once they are applied: per provider, the generation (the fence
 * counter of server/catalog/fence.ts, bumped by every invalidation: the provider's sequence
 * number) the batch left; `global` when the full catalog's generation moved too.
 */
export const announcementSchema = z.object({
  type: z.literal('invalidate'),
  jobId: z.string().min(1),
  providers: z.record(z.string(), seq),
  global: seq.nullable(),
  at: z.number(),
  /** Where to acknowledge, and how long that hash lives. */
  ackKey: z.string().min(1),
  ackTtlMs: z.number().int().positive(),
});
export type Announcement = z.infer<typeof announcementSchema>;

/** Published after the ack is stored: wakes the waiting job (the hash is what counts). */
export const ackNoticeSchema = z.object({ type: z.literal('ack'), jobId: z.string().min(1), id: z.string().min(1) });
export type AckNotice = z.infer<typeof ackNoticeSchema>;

export const channelMessageSchema = z.discriminatedUnion('type', [announcementSchema, ackNoticeSchema]);
export type ChannelMessage = z.infer<typeof channelMessageSchema>;

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

/** Parses one channel message; anything else (garbage, another version's shape) is null, never a throw. */
export function parseChannelMessage(message: string): ChannelMessage | null {
  try {
    const parsed = channelMessageSchema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
