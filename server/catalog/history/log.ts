/**
 * The catalog's own history in Redis: per provider one stream per kind of change (keys.ts
 * `providerChanges`), one entry per model changed by a publication. The codec of an entry (its
 * field names, encoding, decoding and the Lua that appends it) lives here only, so the scripts that
 * publish (fence.ts `providerWrite`, held.ts `approve`) and the reader cannot name a field differently.
 *
 * Written inside the script that publishes, never beside it: an entry exists only if its
 * publication landed, at no extra round trip, and once per publication. The entry's stream id is the
 * publication's time (the app's clock, `<ms>-<seq>`; never below the stream's last id, so a clock
 * behind another instance's still appends). Each append trims the provider's streams to
 * CATALOG_HISTORY_DAYS by id (XTRIM MINID: no scan) and sets their TTL to it, so a provider that
 * stops changing loses its history when it is all past the retention; reads ask only for entries
 * inside it.
 *
 * Reads: every stream asked for (one per provider and kind) in one round trip (one per node on a
 * cluster), merged newest first; the cursor names the last row shown.
 */
import 'server-only';
import { z } from 'zod';
import type { RedisClient } from '~/server/redis/cluster';
import { keyedBatch } from '~/server/redis/cluster';
import { execChecked } from '~/server/redis/exec';
import { DomainError } from '~/server/lib/errors';
import { kindOf } from './changes';
import { CHANGE_KINDS, changeViaSchema, fieldChangeSchema, type CatalogChange, type ChangeKind, type ChangeVia, type ModelChange } from './schema';

/** The fields of one stream entry, in this order (the Lua appends them by these names). */
export const CHANGE_FIELDS = ['model', 'fields', 'publication', 'via', 'job', 'by'] as const;
type Stored = Record<(typeof CHANGE_FIELDS)[number], string>;

/** One entry as stored (strings, '' for none) ↔ as read. The one codec of the stored shape. */
export const storedChangeCodec = z.codec(
  z.object({ model: z.string(), fields: z.string(), publication: z.string(), via: changeViaSchema, job: z.string(), by: z.string() }),
  z.object({ model: z.string(), fields: z.array(fieldChangeSchema), publication: z.string(), via: changeViaSchema, job: z.string().nullable(), approvedBy: z.string().nullable() }),
  {
    decode: (s) => ({ model: s.model, fields: JSON.parse(s.fields) as z.infer<typeof fieldChangeSchema>[], publication: s.publication, via: s.via, job: s.job || null, approvedBy: s.by || null }),
    encode: (e) => ({ model: e.model, fields: JSON.stringify(e.fields), publication: e.publication, via: e.via, job: e.job ?? '', by: e.approvedBy ?? '' }),
  },
);

/** Who and what published a set of changes. */
export interface PublicationMeta {
  publication: string;
  via: ChangeVia;
  job: string | null;
  approvedBy: string | null;
}

/**
 * The script argument of a publication's changes: a JSON list of `[kind, ...CHANGE_FIELDS values]`
 * ('[]' when nothing changed: nothing is appended).
 */
export function encodeChanges(changes: readonly ModelChange[], meta: PublicationMeta): string {
  return JSON.stringify(
    changes.map((c) => {
      const stored: Stored = storedChangeCodec.encode({ model: c.id, fields: c.fields, ...meta });
      return [kindOf(c), ...CHANGE_FIELDS.map((f) => stored[f])];
    }),
  );
}

/** The changes a script appended (encodeChanges' list), back as model changes, and their job (an approval's webhook). */
export function decodeChanges(json: string): { changes: ModelChange[]; job: string | null } {
  const list = JSON.parse(json) as string[][];
  let job: string | null = null;
  const changes = list.flatMap(([kind, ...values]): ModelChange[] => {
    const decoded = decodeEntry(CHANGE_FIELDS.flatMap((f, i) => [f, values[i] ?? '']));
    if (!decoded) return [];
    job = decoded.job;
    return [{ id: decoded.model, kind: kind === 'added' || kind === 'removed' ? kind : 'changed', fields: decoded.fields }];
  });
  return { changes, job };
}

/** The provider's stream keys by kind, as scripts declare them. */
export interface ChangeKeys {
  changesAdded: string;
  changesRemoved: string;
  changesPrice: string;
  changesOther: string;
}

export const changeKeysOf = (key: (kind: ChangeKind) => string): ChangeKeys => ({
  changesAdded: key('added'),
  changesRemoved: key('removed'),
  changesPrice: key('price'),
  changesOther: key('other'),
});

/** The script key names of the history, for a script's `keys` list. */
export const CHANGE_KEY_NAMES = ['changesAdded', 'changesRemoved', 'changesPrice', 'changesOther'] as const;

/**
 * In Lua, a local table `changesLog` (scripts include it and declare CHANGE_KEY_NAMES):
 * - `append(K, json, at, retentionMs, over)`: appends each change of `json` (encodeChanges) to its
 *   kind's stream at `at` (ms), `over` replacing fields by name (an approval's `by` and `via`); then
 *   trims every stream of the provider to `retentionMs` and sets it as their TTL. Returns how many.
 */
export const CHANGES_LUA = `local changesLog = {}
function changesLog.append(K, json, at, retentionMs, over)
  local list = cjson.decode(json)
  if #list == 0 then return 0 end
  local streams = {added = K.changesAdded, removed = K.changesRemoved, price = K.changesPrice, other = K.changesOther}
  local ids = {}
  for _, c in ipairs(list) do
    local key = streams[c[1]]
    if not ids[key] then
      local ms = tonumber(at)
      local top = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)[1]
      if top then
        local last = tonumber(string.match(top[1], '^(%d+)'))
        if last > ms then ms = last end
      end
      ids[key] = string.format('%d', ms) .. '-*'
    end
    redis.call('XADD', key, ids[key], ${CHANGE_FIELDS.map((f, i) => `'${f}', over.${f} or c[${i + 2}]`).join(', ')})
  end
  local cutoff = string.format('%d', tonumber(at) - tonumber(retentionMs))
  for _, key in pairs(streams) do
    if redis.call('EXISTS', key) == 1 then
      redis.call('XTRIM', key, 'MINID', cutoff)
      redis.call('PEXPIRE', key, retentionMs)
    end
  end
  return #list
end`;

/** A stream entry's field/value list, decoded; null for an entry this version cannot read. */
export function decodeEntry(flat: readonly string[]) {
  const stored: Record<string, string> = {};
  for (let j = 0; j + 1 < flat.length; j += 2) stored[flat[j] as string] = flat[j + 1] as string;
  try {
    const parsed = storedChangeCodec.safeParse(stored);
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // `fields` that is not JSON
  }
}

/** A position in the merged order: newest first, then provider, then kind. */
const cursorSchema = z.object({ i: z.string().regex(/^\d{1,20}-\d{1,20}$/), p: z.string().max(64), k: z.enum(CHANGE_KINDS) });
type Cursor = z.infer<typeof cursorSchema>;

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeCursor(text: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new DomainError('BAD_REQUEST', 'The cursor is not one this page gave out; start again from the first page');
  }
}

const idParts = (id: string) => id.split('-').map((n) => BigInt(n)) as [bigint, bigint];

/** Negative when `a` comes first (newer, then provider, then kind in CHANGE_KINDS order). */
function compare(a: Cursor, b: Cursor): number {
  const [am, as] = idParts(a.i);
  const [bm, bs] = idParts(b.i);
  if (am !== bm) return am > bm ? -1 : 1;
  if (as !== bs) return as > bs ? -1 : 1;
  if (a.p !== b.p) return a.p < b.p ? -1 : 1;
  return CHANGE_KINDS.indexOf(a.k) - CHANGE_KINDS.indexOf(b.k);
}

export interface ReadChangesOptions {
  providers: readonly string[];
  kinds: readonly ChangeKind[];
  cursor?: string;
  limit: number;
  /** Entries before this (ms) are past the retention: never read. */
  sinceMs: number;
}

/** One page of the merged history, newest first, and the cursor of the next (null at the end). */
export async function readChanges(redis: RedisClient, keyOf: (provider: string, kind: ChangeKind) => string, o: ReadChangesOptions): Promise<{ items: CatalogChange[]; nextCursor: string | null }> {
  const after = o.cursor ? decodeCursor(o.cursor) : null;
  const streams = o.providers.flatMap((provider) => o.kinds.map((kind) => ({ provider, kind, key: keyOf(provider, kind) })));
  const batch = keyedBatch(redis);
  // Inclusive of the cursor's id: at most one entry per stream has it, so limit + 1 leaves `limit` after it.
  for (const s of streams) batch.add(s.key, (t) => t.xrevrange(s.key, after?.i ?? '+', String(Math.max(0, o.sinceMs)), 'COUNT', o.limit + 1));
  const replies = await execChecked(batch);
  let full = false;
  const rows: { at: Cursor; change: CatalogChange }[] = [];
  streams.forEach((s, i) => {
    const entries = (replies[i] ?? []) as [string, string[]][];
    if (entries.length > o.limit) full = true;
    for (const [id, flat] of entries) {
      const at: Cursor = { i: id, p: s.provider, k: s.kind };
      if (after && compare(at, after) <= 0) continue;
      const decoded = decodeEntry(flat);
      if (!decoded) continue;
      const { model, ...rest } = decoded;
      rows.push({ at, change: { id: `${s.provider}/${s.kind}/${id}`, provider: s.provider, model, kind: s.kind, at: Number(idParts(id)[0]), ...rest } });
    }
  });
  rows.sort((a, b) => compare(a.at, b.at));
  const page = rows.slice(0, o.limit);
  const last = page.at(-1);
  const more = rows.length > o.limit || (full && page.length === o.limit);
  return { items: page.map((r) => r.change), nextCursor: more && last ? encodeCursor(last.at) : null };
}
