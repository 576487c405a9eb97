/** The panel's event logic: a replay (reload, reconnect) never shows an event twice or out of order. */
import { describe, expect, it } from 'vitest';
import { addEvent, compareIds, summarize } from '~/components/jobs/job-events';
import type { StoredEvent } from '~/server/invalidation/schema';

const queued: StoredEvent = { id: '1700000000000-0', event: { type: 'queued', at: 1, providersTotal: 4 } };
const started: StoredEvent = { id: '1700000000001-0', event: { type: 'started', at: 2, providersTotal: 4, keysPlanned: 5 } };
const progress: StoredEvent = { id: '1700000000001-1', event: { type: 'progress', at: 3, stage: 'providers', providersDone: 3, providersTotal: 4, keysDeleted: 4 } };
const completed: StoredEvent = {
  id: '1700000000010-0',
  event: { type: 'completed', at: 4, result: { success: true, providersInvalidated: 4, keysDeleted: 5, durationMs: 9 } },
};

describe('job events in the panel', () => {
  it('ignores an event it already has and keeps stream-id order', () => {
    let events: StoredEvent[] = [];
    for (const item of [queued, started, queued, progress, started, completed, completed]) events = addEvent(events, item);
    expect(events.map((e) => e.id)).toEqual([queued.id, started.id, progress.id, completed.id]);
    expect(addEvent(events, progress)).toBe(events); // unchanged: no re-render
    expect(addEvent([queued, completed], progress).map((e) => e.event.type)).toEqual(['queued', 'progress', 'completed']);
  });

  it('compares ids by time, then sequence, as numbers', () => {
    expect(compareIds('999-0', '1000-0')).toBeLessThan(0); // not as strings
    expect(compareIds('1000-10', '1000-9')).toBeGreaterThan(0);
  });

  it('sums them up: progress as a percentage, 100 and the result when completed', () => {
    expect(summarize([queued, started])).toMatchObject({ status: 'running', percent: 0, providersTotal: 4, keysPlanned: 5 });
    expect(summarize([queued, started, progress])).toMatchObject({ status: 'running', percent: 75, keysDeleted: 4, endedAt: null });
    expect(summarize([queued, started, progress, completed])).toMatchObject({ status: 'completed', percent: 100, keysDeleted: 5, result: { durationMs: 9 }, endedAt: 4 });
    const failed: StoredEvent = {
      id: '1700000000011-0',
      event: { type: 'failed', at: 5, error: { message: 'Redis is unreachable', commandErrors: [] }, result: { success: false, providersInvalidated: 0, keysDeleted: 0, durationMs: 3 } },
    };
    expect(summarize([queued, started, failed])).toMatchObject({ status: 'failed', failure: { message: 'Redis is unreachable' }, percent: 0, endedAt: 5 });
  });

  it('collects refresh outcomes per provider as they arrive, then takes the list of the result', () => {
    const outcome = (provider: string, status: 'refreshed' | 'failed') => ({ provider, status, added: [], removed: [], changed: [], modelCount: 1 });
    const refreshing = (id: string, provider: string, status: 'refreshed' | 'failed', done: number): StoredEvent => ({
      id,
      event: { type: 'progress', at: 5, stage: 'refresh', providersDone: done, providersTotal: 2, keysDeleted: 2, refresh: outcome(provider, status) },
    });
    const live = summarize([queued, started, progress, refreshing('1700000000002-0', 'groq', 'failed', 1)]);
    expect(live).toMatchObject({ status: 'running', refreshing: true, percent: 50, refresh: [{ provider: 'groq', status: 'failed' }] });
    const final = [outcome('groq', 'failed'), outcome('xai', 'refreshed')];
    const done: StoredEvent = { id: '1700000000011-0', event: { type: 'completed', at: 6, result: { success: true, providersInvalidated: 2, keysDeleted: 2, durationMs: 3, refresh: final } } };
    expect(summarize([queued, started, refreshing('1700000000002-0', 'groq', 'failed', 1), done]).refresh).toEqual(final);
  });
});
