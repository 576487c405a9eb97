/**
 * The page's one job stream, as plain data (tests/components/job-stream-state.test.ts): what each
 * followed job has received, the cursor to reopen the stream with, and when to reopen it.
 */
import { encodeCursor, MAX_STREAM_JOBS, type StreamPosition } from '~/server/invalidation/streams/cursor-schema';
import type { JobEvent, StoredEvent } from '~/server/invalidation/schema';
import { addEvent, isTerminalEvent } from './job-events';

export interface HeldJob {
  events: StoredEvent[];
  /** The server has no such job (never existed, or expired): the words it gave. */
  missing: string | null;
}

export type StreamItem = { jobId: string; id: string; event: JobEvent } | { jobId: string; missing: true; message: string };

export const EMPTY_JOB: HeldJob = { events: [], missing: null };

/** Adds one item of the stream; the same map back when it changes nothing (a replay). */
export function applyItem(held: ReadonlyMap<string, HeldJob>, item: StreamItem): ReadonlyMap<string, HeldJob> {
  const job = held.get(item.jobId) ?? EMPTY_JOB;
  let next: HeldJob;
  if ('missing' in item) next = job.missing === item.message ? job : { ...job, missing: item.message };
  else {
    const events = addEvent(job.events, { id: item.id, event: item.event });
    next = events === job.events ? job : { ...job, events };
  }
  if (next === job) return held;
  return new Map(held).set(item.jobId, next);
}

/** Nothing more will come for this job: its terminal event arrived, or it does not exist. */
export function isDone(job: HeldJob | undefined): boolean {
  const last = job?.events.at(-1);
  return Boolean(job?.missing) || (last !== undefined && isTerminalEvent(last.event));
}

/** Where each job stands, as the stream's cursor: a reopened stream resumes every job after what it has. */
export function cursorOf(jobIds: readonly string[], held: ReadonlyMap<string, HeldJob>): string | null {
  const positions = new Map<string, StreamPosition>();
  for (const id of jobIds) {
    const job = held.get(id);
    positions.set(id, isDone(job) ? 'end' : (job?.events.at(-1)?.id ?? null));
  }
  return encodeCursor(positions) || null;
}

export interface Subscribed {
  jobIds: string[];
  /** Sent as `lastEventId` when the stream opens; on reconnects tRPC sends the last SSE id instead. */
  cursor: string | null;
}

/**
 * The stream to hold for these followed jobs. It is reopened only when a job must be added: a job
 * that ends (or is no longer followed) stays in the open stream rather than cost a reconnect, and
 * the server ends the stream once all its jobs have. Reopened, it follows only the jobs still
 * running, each from where it stands. The same object back when nothing changes.
 */
export function nextSubscription(current: Subscribed | null, followed: readonly string[], held: ReadonlyMap<string, HeldJob>): Subscribed | null {
  const running = followed.filter((id) => !isDone(held.get(id))).slice(0, MAX_STREAM_JOBS);
  if (current && running.every((id) => current.jobIds.includes(id))) return current;
  if (!running.length) return current;
  const jobIds = [...running].sort();
  return { jobIds, cursor: cursorOf(jobIds, held) };
}
