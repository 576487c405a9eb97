import type { HistoryQueryInput, JobStatus } from '~/server/invalidation/schema';
import { parseSort, type Sort } from '~/components/common/sort';

/** The History page's view in its URL: filters sent to the server, and the sort of the rows loaded. */
export const HISTORY_PARAMS = ['provider', 'status', 'from', 'to', 'job', 'sort'] as const;
export type HistoryParams = Record<(typeof HISTORY_PARAMS)[number], string>;

export const HISTORY_SORTS = ['when', 'by', 'status', 'keys', 'duration'] as const;
export type HistorySortKey = (typeof HISTORY_SORTS)[number];
export const NEWEST_FIRST: Sort<HistorySortKey> = { key: 'when', dir: 'desc' };

const STATUSES: readonly string[] = ['queued', 'running', 'completed', 'failed'];
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local midnight of a "YYYY-MM-DD" day (the date input's value), or undefined when it is not one. */
export function dayStart(value: string): number | undefined {
  const m = DAY.exec(value);
  if (!m) return undefined;
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
  return Number.isNaN(at) ? undefined : at;
}

/** The last millisecond of that day, local time: a range "to" a day includes the whole day. */
export function dayEnd(value: string): number | undefined {
  const m = DAY.exec(value);
  if (!m) return undefined;
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1).getTime() - 1;
  return Number.isNaN(at) ? undefined : at;
}

/** Letters and digits only, lower case: what a job id can contain (a pasted id with spaces still finds it). */
export const cleanJobId = (value: string) => value.toLowerCase().replace(/[^0-9a-z]/g, '').slice(0, 40);

/** The server query for the URL's filters; what is not valid there (a half-typed date) is left out. */
export function historyQuery(p: HistoryParams, limit: number): HistoryQueryInput {
  const from = dayStart(p.from);
  const to = dayEnd(p.to);
  const job = cleanJobId(p.job);
  return {
    limit,
    ...(p.provider ? { provider: p.provider } : {}),
    ...(STATUSES.includes(p.status) ? { status: p.status as JobStatus } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined && (from === undefined || from <= to) ? { to } : {}),
    ...(job ? { jobId: job } : {}),
  };
}

export const historySort = (p: HistoryParams) => parseSort(p.sort, HISTORY_SORTS, NEWEST_FIRST);
