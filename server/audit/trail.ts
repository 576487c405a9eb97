/**
 * The audit trail: three Redis streams under the admin prefix, each capped on its own, so a flood of
 * one kind can only push out its own kind (`storeOf` in schema.ts decides from the entry itself):
 * admins' actions (no other caller can write there), what signed-in callers did or were refused plus
 * every checked sign-in, and what anybody can cause without signing in. Readers get the first two
 * merged newest first (`trail`) and the third apart (`anonymous`). Append-only (the app only XADDs;
 * no code path edits or deletes an entry). Each stream is trimmed on each of its own appends to the
 * retention period (MINID, exact; reads never return anything older, however long ago the last
 * append was) and to a length cap (MAXLEN, approximate: whole nodes at a time, O(1) amortised). The
 * catalog prefix never overlaps the admin prefix and the engine deletes only keys keys.ts owns in
 * the catalog namespace, so no invalidation can reach it.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { execChecked } from '~/server/redis/exec';
import type { AdminKeys } from '~/server/redis/keys';
import { mergeNewestFirst } from './merge';
import { auditEntrySchema, auditStoresOf, storeOf, type AuditEntry, type AuditInput, type AuditPage, type AuditQuery, type AuditStore, type AuditStream } from './schema';

export interface AuditConfig {
  retentionMs: number;
  /** Cap of the admins' stream, and on its own of the others' stream. */
  maxLength: number;
  /** Cap of the anonymous stream (absent: the trail's). */
  anonymousMaxLength?: number;
}

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
  const keyOf: Record<AuditStore, string> = { admin: keys.audit, others: keys.auditOthers, anonymous: keys.auditAnonymous };
  const capOf = (store: AuditStore) => (store === 'anonymous' ? (config.anonymousMaxLength ?? config.maxLength) : config.maxLength);

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

  /**
   * An append for another script to make (AUDIT_APPEND_LUA), atomically with its own writes: the
   * stream the entry belongs in, the entry as stored, the length cap and the retention floor.
   */
  function prepare(input: AuditInput): PreparedAudit {
    const at = now();
    const entry = entryOf(input, at);
    const store = storeOf(entry);
    return { key: keyOf[store], entry: JSON.stringify(entry), maxLength: capOf(store), minId: Math.max(0, at - config.retentionMs) };
  }

  return {
    prepare,

    async record(input: AuditInput): Promise<void> {
      const { key, entry, maxLength, minId } = prepare(input);
      // One round trip: append (capped by length), then drop what is past retention.
      await execChecked(redis.multi().xadd(key, 'MAXLEN', '~', maxLength, '*', 'entry', entry).xtrim(key, 'MINID', minId));
    },

    /**
     * Newest first (`trail`: the admins' and the others' streams merged); each entry's id is its
     * position, `<stream id>@<store>`, and the cursor is the last position of the previous page (exclusive).
     */
    async list(query: Omit<AuditQuery, 'stream'> & { stream?: AuditStream }): Promise<AuditPage> {
      const minId = String(Math.max(0, now() - config.retentionMs));
      const items: AuditEntry[] = [];
      const nextCursor = await mergeNewestFirst({
        stores: auditStoresOf(query.stream ?? 'trail'),
        read: (store, end, count) => redis.xrevrange(keyOf[store], end, minId, 'COUNT', count),
        cursor: query.cursor ?? null,
        // Keep going while the page is not full.
        take: (position, fields) => {
          const entry = parse(position, fields);
          if (entry && matches(entry, query)) items.push(entry);
          return items.length < query.limit;
        },
      });
      return { items, nextCursor };
    },
  };
}
