/** The page's one job stream as data: items held per job, the cursor it reopens with, when it reopens. */
import { describe, expect, it } from 'vitest';
import { applyItem, cursorOf, isDone, nextSubscription, type HeldJob, type StreamItem } from '~/components/jobs/job-stream-state';

const A = '0mx5crj522cbd2cea81';
const B = '0mx5crj522cbd2cea82';
const C = '0mx5crj522cbd2cea83';
const queued = (jobId: string, id: string): StreamItem => ({ jobId, id, event: { type: 'queued', at: 1, providersTotal: 1 } });
const completed = (jobId: string, id: string): StreamItem => ({
  jobId,
  id,
  event: { type: 'completed', at: 2, result: { success: true, providersInvalidated: 1, keysDeleted: 2, durationMs: 3 } },
});

const hold = (...items: StreamItem[]) => items.reduce<ReadonlyMap<string, HeldJob>>((held, item) => applyItem(held, item), new Map());

describe('the page job stream', () => {
  it('holds each job\'s events once, in id order, and the same map back for a replay', () => {
    const held = hold(queued(A, '10-0'), queued(B, '11-0'), completed(A, '12-0'));
    expect(held.get(A)?.events.map((e) => e.id)).toEqual(['10-0', '12-0']);
    expect(applyItem(held, queued(A, '10-0'))).toBe(held);
    expect(isDone(held.get(A))).toBe(true);
    expect(isDone(held.get(B))).toBe(false);
    const missing = applyItem(held, { jobId: C, missing: true, message: 'No invalidation job C' });
    expect(missing.get(C)).toEqual({ events: [], missing: 'No invalidation job C' });
    expect(isDone(missing.get(C))).toBe(true);
  });

  it('writes where every job stands as the cursor: the last id, end once done, nothing for one without events', () => {
    const held = hold(queued(A, '10-0'), completed(A, '12-0'), queued(B, '11-0'));
    expect(cursorOf([A, B, C], held)).toBe(`${A}:end,${B}:11-0`);
    expect(cursorOf([C], held)).toBeNull();
  });

  it('opens for the running jobs, keeps the stream while jobs end, reopens (with the cursor) only to add one', () => {
    let held = hold(queued(A, '10-0'));
    const first = nextSubscription(null, [A], held);
    expect(first).toEqual({ jobIds: [A], cursor: `${A}:10-0` });
    expect(nextSubscription(first, [A], held)).toBe(first);
    held = applyItem(held, completed(A, '12-0'));
    expect(nextSubscription(first, [A], held)).toBe(first); // A ended: no reconnect for that
    const second = nextSubscription(first, [A, C, B], held);
    expect(second).toEqual({ jobIds: [B, C], cursor: null }); // only the running ones, sorted
    expect(nextSubscription(null, [A], held)).toBeNull(); // nothing running: no stream
  });
});
