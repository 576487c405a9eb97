/** The shared Jobs view as data: who in a word, a record as a panel's state, this tab's jobs merged with everyone's. */
import { describe, expect, it } from 'vitest';
import type { TrackedJob } from '~/components/jobs/job-store';
import { actorWords, MAX_FINISHED_SHARED, mergeJobs, recordState } from '~/components/jobs/shared-jobs';
import type { RecentJob } from '~/server/invalidation/schema';

const WINDOW = 15 * 60_000;
const NOW = 1_000_000_000;

function record(id: string, patch: Partial<RecentJob> = {}): RecentJob {
  return {
    id,
    status: 'completed',
    request: { providers: ['groq'], cacheType: 'models', cascade: true, mode: 'delete' },
    actor: { kind: 'token', label: 'token ci', tokenName: 'ci', tokenId: 't1', role: 'admin' },
    providersTotal: 1,
    createdAt: NOW - 1000,
    startedAt: NOW - 900,
    finishedAt: NOW - 800,
    result: { success: true, providersInvalidated: 1, keysDeleted: 2, durationMs: 100 },
    error: null,
    askers: [],
    joined: 0,
    attempt: 1,
    mine: false,
    ...patch,
  };
}

const tab = (key: string, jobId: string | null, createdAt: number): TrackedJob => ({ key, jobId, scope: ['xai'], cacheType: 'models', cascade: true, createdAt, status: jobId ? 'running' : 'starting' });

describe('actorWords', () => {
  it('names who started a job in a word, and the viewer as "you"', () => {
    expect(actorWords(record('a').actor, false)).toBe('token ci');
    expect(actorWords(record('a').actor, true)).toBe('you');
    expect(actorWords({ kind: 'schedule', label: 'schedule s1, every 1 h, due …' }, false)).toBe('a schedule');
    expect(actorWords({ kind: 'session', label: 'admin (session)', bootstrap: true }, false)).toBe('admin');
    expect(actorWords({ kind: 'token', label: 'admin (API token)', bootstrap: true }, false)).toBe('admin (API token)');
    expect(actorWords({ kind: 'session', label: 'ana (session)', username: 'ana', accountId: 'acc' }, false)).toBe('ana');
  });
});

describe('recordState', () => {
  it('a completed record reads as a full bar with its result; a failed one keeps its error', () => {
    expect(recordState(record('a'))).toMatchObject({ status: 'completed', percent: 100, keysDeleted: 2, providersDone: 1, error: null });
    const failed = recordState(record('b', { status: 'failed', error: { message: 'Redis down', commandErrors: [] } }));
    expect(failed).toMatchObject({ status: 'failed', percent: 0, error: { message: 'Redis down' }, failure: { message: 'Redis down' } });
  });
});

describe('mergeJobs', () => {
  it('lists this tab\'s jobs and everyone else\'s newest first, once each, a starting job on top', () => {
    const merged = mergeJobs([tab('k1', 'mine', NOW - 500), tab('k0', null, NOW)], [record('theirs', { createdAt: NOW - 100 }), record('mine', { createdAt: NOW - 500 }), record('older', { createdAt: NOW - 2000 })], new Set(), NOW, WINDOW);
    expect(merged.map((j) => (j.kind === 'tab' ? `tab:${j.job.key}` : `shared:${j.record.id}`))).toEqual(['tab:k0', 'shared:theirs', 'tab:k1', 'shared:older']);
  });

  it('leaves out dismissed jobs and finished ones past the window, never running ones, and caps the finished', () => {
    const recent = [
      record('running', { status: 'running', finishedAt: null, createdAt: NOW - 3 * WINDOW }),
      record('gone', { finishedAt: NOW - WINDOW - 1 }),
      record('dismissed'),
      ...Array.from({ length: MAX_FINISHED_SHARED + 3 }, (_, i) => record(`f${i}`, { createdAt: NOW - 10_000 - i })),
    ];
    const merged = mergeJobs([], recent, new Set(['dismissed']), NOW, WINDOW);
    const ids = merged.map((j) => (j.kind === 'shared' ? j.record.id : ''));
    expect(ids).toContain('running');
    expect(ids).not.toContain('gone');
    expect(ids).not.toContain('dismissed');
    expect(ids).toHaveLength(1 + MAX_FINISHED_SHARED);
  });
});
