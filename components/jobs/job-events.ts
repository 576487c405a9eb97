/** Pure helpers over a job's events: ordering, de-duplication and what they add up to. */
import type { ProviderRefresh } from '~/server/invalidation/refresh-schema';
import type { CommandError, InvalidationResult, JobEvent, JobStatus, StoredEvent } from '~/server/invalidation/schema';

// Types only from the server: importing its zod schemas would ship zod to the browser.
export const isTerminalEvent = (event: JobEvent) => event.type === 'completed' || event.type === 'failed';

/** Stream ids are "<ms>-<seq>": compare both parts as numbers. */
export function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

/** Adds an event unless its id is already there (a replay after reload or reconnect), keeping id order. */
export function addEvent(events: StoredEvent[], item: StoredEvent): StoredEvent[] {
  if (events.some((e) => e.id === item.id)) return events;
  const last = events.at(-1);
  if (!last || compareIds(last.id, item.id) < 0) return [...events, item];
  return [...events, item].sort((a, b) => compareIds(a.id, b.id));
}

export interface JobSummary {
  status: JobStatus | 'unknown';
  /** 0–100: providersDone / providersTotal, 100 once completed. */
  percent: number;
  providersDone: number;
  providersTotal: number | null;
  keysDeleted: number;
  keysPlanned: number | null;
  result: InvalidationResult | null;
  failure: { message: string; commandErrors: CommandError[] } | null;
  /** Refresh outcomes so far, one per provider, in the order they finished (the result's list once completed). */
  refresh: ProviderRefresh[];
  /** True once the job reached its refresh stage. */
  refreshing: boolean;
  /** When the terminal event was written (ms), null before. */
  endedAt: number | null;
}

export function summarize(events: readonly StoredEvent[]): JobSummary {
  const summary: JobSummary = {
    status: 'unknown',
    percent: 0,
    providersDone: 0,
    providersTotal: null,
    keysDeleted: 0,
    keysPlanned: null,
    result: null,
    failure: null,
    refresh: [],
    refreshing: false,
    endedAt: null,
  };
  for (const { event } of events) apply(summary, event);
  return summary;
}

function apply(s: JobSummary, event: JobEvent): void {
  switch (event.type) {
    case 'queued':
      s.status = 'queued';
      s.providersTotal = event.providersTotal;
      break;
    case 'started':
      s.status = 'running';
      s.providersTotal = event.providersTotal;
      s.keysPlanned = event.keysPlanned;
      break;
    case 'progress':
      s.status = 'running';
      s.providersDone = event.providersDone;
      s.providersTotal = event.providersTotal;
      s.keysDeleted = event.keysDeleted;
      s.percent = event.providersTotal > 0 ? Math.round((event.providersDone / event.providersTotal) * 100) : 0;
      if (event.stage === 'refresh') s.refreshing = true;
      if (event.refresh) s.refresh = [...s.refresh.filter((r) => r.provider !== event.refresh?.provider), event.refresh];
      break;
    case 'completed':
      s.status = 'completed';
      s.result = event.result;
      s.keysDeleted = event.result.keysDeleted;
      s.providersDone = event.result.providersInvalidated;
      s.percent = 100;
      s.endedAt = event.at;
      if (event.result.refresh) s.refresh = event.result.refresh;
      break;
    case 'failed':
      s.status = 'failed';
      s.result = event.result;
      s.keysDeleted = event.result.keysDeleted;
      s.failure = event.error;
      s.endedAt = event.at;
      break;
  }
}
