/**
 * The codec of a job record (`…{jobs}:job:<id>`, a hash) and of its entry in the pending index
 * (`…{jobs}:pending`, job id → `{scope, askers, joined}` as JSON), in TypeScript and in the Lua the
 * job scripts include. While a job is pending its askers live in the pending entry (where joins
 * are decided, in the create script); when it starts or ends, `leavePending` moves them into the
 * record. Readers decode a record with its pending entry, so either place reads the same.
 *
 * Record fields: `request`, `actor`, `result`, `error`, `askers` as JSON; the others as strings
 * (Lua would print large numbers in exponent form); absent fields read back as null.
 */
import 'server-only';
import { type JobRecord, jobRecordSchema } from '../schema';

const JSON_FIELDS = new Set(['request', 'actor', 'result', 'error', 'askers']);

/** A new job's record as the create script stores it: queued, nothing run yet, no one joined, first attempt. */
export function queuedRecord(job: Pick<JobRecord, 'id' | 'request' | 'actor' | 'providersTotal' | 'createdAt'>): JobRecord {
  return {
    id: job.id,
    status: 'queued',
    request: job.request,
    actor: job.actor,
    providersTotal: job.providersTotal,
    createdAt: job.createdAt,
    startedAt: null,
    finishedAt: null,
    result: null,
    error: null,
    askers: [],
    joined: 0,
    attempt: 1,
  };
}

/** Record fields as hash fields. */
export function encodeJobFields(fields: Partial<JobRecord>): Record<string, string> {
  const hash: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    hash[name] = JSON_FIELDS.has(name) ? JSON.stringify(value) : String(value);
  }
  return hash;
}

/** The record from its hash and, while it is pending, its pending entry; null when there is no record. */
export function decodeJobRecord(hash: Record<string, string>, pendingEntry: string | null = null): JobRecord | null {
  if (!hash.id) return null;
  const field = (name: string) => hash[name] ?? null;
  const num = (name: string) => (hash[name] ? Number(hash[name]) : null);
  const json = (name: string) => (hash[name] ? (JSON.parse(hash[name]) as unknown) : null);
  const pending = pendingEntry ? (JSON.parse(pendingEntry) as { askers: unknown; joined: number }) : null;
  const parsed = jobRecordSchema.safeParse({
    id: field('id'),
    status: field('status'),
    request: json('request'),
    actor: json('actor'),
    providersTotal: num('providersTotal'),
    createdAt: num('createdAt'),
    startedAt: num('startedAt'),
    finishedAt: num('finishedAt'),
    result: json('result'),
    error: json('error'),
    askers: pending?.askers ?? json('askers') ?? [],
    joined: pending?.joined ?? num('joined') ?? 0,
    attempt: num('attempt') ?? 1,
  });
  return parsed.success ? parsed.data : null;
}

/** The record from a script's `HGETALL` reply (a flat field, value list): it is no longer pending. */
export function decodeJobReply(flat: readonly string[]): JobRecord | null {
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i] as string] = flat[i + 1] as string;
  return decodeJobRecord(hash);
}

/**
 * Lua, for the job scripts:
 * - `writeRecord(key, fieldsJson)`: sets the fields `encodeJobFields` made (a JSON object).
 * - `pendingEntry(scope, asker)`: a new pending entry (its creator as first asker), encoded.
 * - `joinPending(entry, asker, maxAskers)`: the (decoded) entry with one more request joined, encoded.
 * - `leavePending(pending, id, record, fieldsJson, recent, now)`: leaves the pending index (no
 *   request can join any more) and writes the record's fields with the askers gathered there; with
 *   `recent`, notes the scope and when the deletions were sent (COALESCE_WINDOW_MS).
 */
export const JOB_RECORD_LUA = `local function writeRecord(key, fieldsJson)
  for name, value in pairs(cjson.decode(fieldsJson)) do redis.call('HSET', key, name, value) end
end
local function pendingEntry(scope, asker)
  return cjson.encode({scope = scope, askers = {asker}, joined = 0})
end
local function joinPending(entry, asker, maxAskers)
  entry.joined = entry.joined + 1
  if #entry.askers < maxAskers then table.insert(entry.askers, asker) end
  return cjson.encode(entry)
end
local function leavePending(pending, id, record, fieldsJson, recent, now)
  local entry = redis.call('HGET', pending, id)
  redis.call('HDEL', pending, id)
  local fields = cjson.decode(fieldsJson)
  if entry then
    local decoded = cjson.decode(entry)
    fields.askers = cjson.encode(decoded.askers)
    fields.joined = tostring(decoded.joined)
    if recent then redis.call('HSET', recent, id, cjson.encode({scope = decoded.scope, sentAt = tonumber(now)})) end
  end
  for name, value in pairs(fields) do redis.call('HSET', record, name, value) end
end`;
