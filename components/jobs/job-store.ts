/**
 * The jobs this tab started, newest first: an external store (for useSyncExternalStore) kept in
 * sessionStorage, so a reload in the middle of a job finds it again and re-subscribes. The events
 * replay from the start; the hook keys them by id, so nothing is shown twice.
 */
import type { JobStatus } from '~/server/invalidation/schema';

export type Scope = string[] | 'all';

export interface TrackedJob {
  /** Stable across the start request: the panel exists before the server answers with a job id. */
  key: string;
  jobId: string | null;
  scope: Scope;
  cacheType: 'models' | 'all';
  cascade: boolean;
  /** Refresh-and-verify after the deletions, and soft mode (absent in jobs stored by older panels). */
  refresh?: boolean;
  mode?: 'delete' | 'soft';
  createdAt: number;
  /** `starting` until the server answers; `start-failed` when it refused (startError says why). */
  status: JobStatus | 'starting' | 'start-failed' | 'missing';
  startError?: string;
  /** The request joined a job that another request (or admin) had started and not yet run. */
  coalesced?: boolean;
}

const STORAGE_KEY = 'catalog-admin:jobs';
/** Enough to follow a few concurrent jobs (all of them over the page's one job stream: job-stream.tsx). */
const MAX_JOBS = 8;
const EMPTY: TrackedJob[] = [];

let jobs: TrackedJob[] = EMPTY;
let loaded = false;
const listeners = new Set<() => void>();

function load(): void {
  if (loaded || typeof window === 'undefined') return;
  loaded = true;
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    const parsed = raw ? (JSON.parse(raw) as unknown) : [];
    if (Array.isArray(parsed)) jobs = (parsed as TrackedJob[]).filter((j) => typeof j.jobId === 'string');
  } catch {
    jobs = EMPTY;
  }
}

function commit(next: TrackedJob[]): void {
  jobs = next.slice(0, MAX_JOBS);
  try {
    // Only jobs the server knows can be followed after a reload.
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(jobs.filter((j) => j.jobId)));
  } catch {
    // Storage full or disabled: the panels still work, they just do not survive a reload.
  }
  listeners.forEach((listener) => listener());
}

export const jobStore = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  getSnapshot(): TrackedJob[] {
    load();
    return jobs;
  },
  getServerSnapshot(): TrackedJob[] {
    return EMPTY;
  },
  add(job: TrackedJob): void {
    load();
    commit([job, ...jobs]);
  },
  update(key: string, patch: Partial<TrackedJob>): void {
    const current = jobs.find((j) => j.key === key);
    if (!current || Object.entries(patch).every(([k, v]) => current[k as keyof TrackedJob] === v)) return;
    commit(jobs.map((j) => (j.key === key ? { ...j, ...patch } : j)));
  },
  remove(key: string): void {
    commit(jobs.filter((j) => j.key !== key));
  },
};

export const isActive = (job: TrackedJob) => job.status === 'starting' || job.status === 'queued' || job.status === 'running';

export function scopeLabel(scope: Scope): string {
  if (scope === 'all') return 'all providers';
  if (scope.length <= 3) return scope.join(', ');
  return `${scope.slice(0, 2).join(', ')} and ${scope.length - 2} more`;
}
