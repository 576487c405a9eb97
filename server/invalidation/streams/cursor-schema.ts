/**
 * The position of a multiplexed job stream (`invalidation.jobsEvents`): per job, the id of the
 * last event delivered, or `end` once the job's terminal event was delivered (or the job turned
 * out not to exist). It is the stream's SSE id, so when the connection drops tRPC's client sends
 * it back as `lastEventId` and every job resumes after its own last event: nothing lost, nothing
 * repeated. The page also sends it when it reopens the stream for a changed set of jobs.
 *
 * `<jobId>:<lastId|end>` entries joined by `,`. Shared with the browser (no zod: it would ship zod).
 */

/** How many jobs one multiplexed stream follows at most (the cursor rides in the URL on resume). */
export const MAX_STREAM_JOBS = 50;

export const STREAM_CURSOR = /^[0-9a-z]{19}:(\d+-\d+|end)(,[0-9a-z]{19}:(\d+-\d+|end)){0,49}$/;

/** A job's position: null = from its first event, `end` = nothing more to follow. */
export type StreamPosition = string | null;

export function encodeCursor(positions: ReadonlyMap<string, StreamPosition>): string {
  return [...positions]
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([jobId, at]) => `${jobId}:${at}`)
    .join(',');
}

/** Entries of a cursor (validated by STREAM_CURSOR at the door); a job not named starts from its first event. */
export function decodeCursor(cursor: string | null | undefined): Map<string, string> {
  const positions = new Map<string, string>();
  if (!cursor) return positions;
  for (const entry of cursor.split(',')) {
    const at = entry.indexOf(':');
    if (at > 0) positions.set(entry.slice(0, at), entry.slice(at + 1));
  }
  return positions;
}
