/** The job page: live events first, the stored record where the events say nothing. */
import { describe, expect, it } from 'vitest';
import { withRecord } from '~/components/history/use-job';
import { summarize } from '~/components/jobs/job-events';
import type { InvalidationState } from '~/components/jobs/use-invalidation';

const noEvents: InvalidationState = { ...summarize([]), jobId: 'j', events: [], connection: 'ended', error: null, connectionNote: null };
const result = { success: true, providersInvalidated: 1, keysDeleted: 2, durationMs: 3 };

describe('withRecord', () => {
  it('takes the record\'s end when the stream expired before it (no events)', () => {
    const shown = withRecord({ ...noEvents, status: 'missing' }, { status: 'completed', result, error: null, finishedAt: 1234 });
    expect(shown).toMatchObject({ status: 'completed', result, percent: 100, error: null, endedAt: 1234 });
  });

  it('says why a job failed from the record', () => {
    const shown = withRecord(noEvents, { status: 'failed', result, error: { message: 'Redis is unreachable', commandErrors: [] }, finishedAt: null });
    expect(shown).toMatchObject({ status: 'failed', error: { message: 'Redis is unreachable' } });
    expect(shown.percent).toBe(0);
  });

  it('keeps what the live events say over the record', () => {
    const live: InvalidationState = { ...noEvents, status: 'running', percent: 40, connection: 'live' };
    expect(withRecord(live, { status: 'queued', result: null, error: null, finishedAt: null })).toMatchObject({ status: 'running', percent: 40, result: null });
  });

  it('is unknown without either', () => {
    expect(withRecord(noEvents, null).status).toBe('unknown');
  });
});
