/**
 * The audit trail: one Redis stream under the admin prefix, and a second one beside it for what
 * anybody can cause without signing in (`streamOf` in schema.ts decides), each capped on its own. Append-only (the app only XADDs; no
 * code path edits or deletes an entry), trimmed on each append to the retention period (MINID,
 * exact: nothing older is kept) and to a length cap (MAXLEN, approximate: whole nodes at a time,
 * O(1) amortised). The catalog prefix
 * never overlaps the admin prefix and the engine deletes only keys keys.ts owns in the catalog
 * namespace, so no invalidation can reach it.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { execChecked } from '~/server/redis/exec';
import type { AdminKeys } from '~/server/redis/keys';
import { auditEntrySchema, streamOf, type AuditEntry, type AuditInput, type AuditPage, type AuditQuery, type AuditStream } from './schema';

export interface AuditConfig {
  retentionMs: number;
  maxLength: number;
  /** Cap of the anonymous stream (absent: the trail's). */
  anonymousMaxLength?: number;
}

/** Entries read per XREVRANGE while filtering; a page stops after this many reads so a rare filter cannot scan forever. */
const CHUNK = 200;
const MAX_CHUNKS_PER_PAGE = 25;
const cap = (text: string, length: number) => (text.length > length ? `${text.slice(0, length)}…` : text);

export type AuditTrail = ReturnType<typeof createAuditTrail>;

/** An entry for another script to append (see `prepare`). */
export interface PreparedAudit {
  key: string;
  /** The entry as stored (JSON); the script may set `outcome`, `target` and `details` fields before appending. */
  entry: string;
  maxLength: number;
  minId: number;
}

/**
 * Lua: `appendAudit(key, maxlen, minid, entry)` appends `entry` (a decoded table, encoded here) to
 * the trail as `record` does: capped by length, then trimmed to the retention period.
 */
export const AUDIT_APPEND_LUA = `local function appendAudit(key, maxlen, minid, entry)
  redis.call('XADD', key, 'MAXLEN', '~', maxlen, '*', 'entry', cjson.encode(entry))
  redis.call('XTRIM', key, 'MINID', minid)
end`;

/** The stored form of an entry: who by name, the client's words bounded, absent fields made explicit. */
function entryOf(input: AuditInput, at: number) {
  return {
    ...input,
    at,
    actorName: input.actorName ?? (input.actor?.username ?? input.actor?.tokenName ?? input.actor?.label ?? 'anonymous'),
    // Headers are the client's words: bounded, so one request cannot write a megabyte into the trail.
    address: cap(input.address, 64),
    userAgent: cap(input.userAgent, 256),
    target: input.target ?? null,
    details: input.details ?? {},
  };
}

export function createAuditTrail(redis: RedisClient, keys: AdminKeys, config: AuditConfig, now: () => number = Date.now) {
  function parse(id: string, fields: string[]): AuditEntry | null {
    const json = fields[fields.indexOf('entry') + 1];
    try {
      const parsed = auditEntrySchema.safeParse({ ...JSON.parse(json ?? 'null'), id });
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  const matches = (entry: AuditEntry, query: Pick<AuditQuery, 'action' | 'actor'>) =>
    (!query.action || entry.action === query.action) && (!query.actor || entry.actorName.toLowerCase() === query.actor.toLowerCase());

  return {
    /**
     * An append for another script to make (AUDIT_APPEND_LUA), atomically with its own writes: the
     * stream, the entry as stored, the length cap and the retention floor. `record` makes the same one.
     */
    prepare(input: AuditInput): PreparedAudit {
      const at = now();
      return { key: keys.audit, entry: JSON.stringify(entryOf(input, at)), maxLength: config.maxLength, minId: Math.max(0, at - config.retentionMs) };
    },

    async record(input: AuditInput): Promise<void> {
      const at = now();
      const entry = entryOf(input, at);
      const minId = Math.max(0, at - config.retentionMs);
      const anonymous = streamOf(entry) === 'anonymous';
      const key = anonymous ? keys.auditAnonymous : keys.audit;
      const maxLength = anonymous ? (config.anonymousMaxLength ?? config.maxLength) : config.maxLength;
      // One round trip: append (capped by length), then drop what is past retention.
      await execChecked(redis.multi().xadd(key, 'MAXLEN', '~', maxLength, '*', 'entry', JSON.stringify(entry)).xtrim(key, 'MINID', minId));
    },

    /** Newest first; the cursor is the last id of the previous page (exclusive). */
    async list(query: Omit<AuditQuery, 'stream'> & { stream?: AuditStream }): Promise<AuditPage> {
      const items: AuditEntry[] = [];
      let end = query.cursor ? `(${query.cursor}` : '+';
      const minId = String(Math.max(0, now() - config.retentionMs));
      for (let chunk = 0; chunk < MAX_CHUNKS_PER_PAGE; chunk++) {
        const batch = await redis.xrevrange(query.stream === 'anonymous' ? keys.auditAnonymous : keys.audit, end, minId, 'COUNT', CHUNK);
        for (const [id, fields] of batch) {
          const entry = parse(id, fields);
          if (entry && matches(entry, query)) items.push(entry);
          if (items.length === query.limit) return { items, nextCursor: id };
        }
        if (batch.length < CHUNK) return { items, nextCursor: null };
        end = `(${batch[batch.length - 1]?.[0]}`;
      }
      // Scanned the most one page may: hand back a cursor so the reader can go on.
      return { items, nextCursor: end.slice(1) };
    },
  };
}
