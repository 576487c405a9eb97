/**
 * The codec of a job's event stream entry (`…{jobs}:job:<id>:events`): one field, `e`, holding the
 * event as JSON. Written by the job scripts (`APPEND_EVENT_LUA`, which also publishes it on the
 * activity channel in the same script) and by `progress` (a MULTI of XADD and PUBLISH); read by
 * every stream reader through `toStoredEvent`.
 */
import 'server-only';
import { jobEventSchema, type JobEvent, type StoredEvent } from '../schema';

export const EVENT_FIELD = 'e';

export const encodeEvent = (event: JobEvent): string => JSON.stringify(event);

/** A stream entry (its id and flat field list) as the event it holds; throws on a malformed one. */
export function toStoredEvent(id: string, fields: string[]): StoredEvent {
  const index = fields.indexOf(EVENT_FIELD);
  return { id, event: jobEventSchema.parse(JSON.parse(fields[index + 1] ?? 'null')) };
}

/**
 * Lua: `append(stream, maxlen, event, channel, activity)` adds the entry and tells live views, with
 * the new stream id and the stored event in the message, so a job stream following the channel
 * yields it without reading the stream. `activity` is a JSON object; its first character is dropped
 * to splice the two fields in front.
 */
export const APPEND_EVENT_LUA = `local function append(stream, maxlen, event, channel, activity)
  local id = redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', '${EVENT_FIELD}', event)
  redis.call('PUBLISH', channel, '{"id":' .. cjson.encode(id) .. ',"event":' .. cjson.encode(event) .. ',' .. string.sub(activity, 2))
end`;
