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
  /** Its end was announced (a toast and the live region): once, not again after a reload. */
  announced?: boolean;
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

/** A job's title: "All providers", or its providers. */
export const jobTitle = (scope: Scope) => (scope === 'all' ? 'All providers' : scopeLabel(scope));

export function scopeLabel(scope: Scope): string {
  if (scope === 'all') return 'all providers';
  if (scope.length <= 3) return scope.join(', ');
  return `${scope.slice(0, 2).join(', ')} and ${scope.length - 2} more`;
}

const DISMISSED_KEY = 'catalog-admin:dismissed-jobs';
/** Enough for every finished job the shared view can list in its window. */
const MAX_DISMISSED = 200;
const NONE: ReadonlySet<string> = new Set();
let dismissed: ReadonlySet<string> = NONE;
let dismissedLoaded = false;
const dismissedListeners = new Set<() => void>();

/**
 * The finished jobs dismissed in this tab (by id, in sessionStorage): the shared Jobs view leaves
 * them out, so a dismissed panel does not come back as someone's recent job.
 */
export const dismissedJobs = {
  subscribe(listener: () => void): () => void {
    dismissedListeners.add(listener);
    return () => dismissedListeners.delete(listener);
  },
  getSnapshot(): ReadonlySet<string> {
    if (!dismissedLoaded && typeof window !== 'undefined') {
      dismissedLoaded = true;
      try {
        const parsed = JSON.parse(window.sessionStorage.getItem(DISMISSED_KEY) ?? '[]') as unknown;
        if (Array.isArray(parsed)) dismissed = new Set(parsed.filter((id): id is string => typeof id === 'string'));
      } catch {
        dismissed = NONE;
      }
    }
    return dismissed;
  },
  getServerSnapshot: (): ReadonlySet<string> => NONE,
  add(jobId: string): void {
    dismissed = new Set([...dismissedJobs.getSnapshot(), jobId].slice(-MAX_DISMISSED));
    try {
      window.sessionStorage.setItem(DISMISSED_KEY, JSON.stringify([...dismissed]));
    } catch {
      // Storage full or disabled: dismissed for this page's life only.
    }
    dismissedListeners.forEach((listener) => listener());
  },
};
