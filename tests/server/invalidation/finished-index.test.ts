/**
 * The finished-jobs index (store/finished-index.ts), written by the terminal write's script: every
 * job that ends enters it at its end, the script trims it to its bounds (age, then size), a runner
 * that lost its lease writes nothing to it, and a reader pages through a range oldest end first, every
 * job once, ties included, even when a trim lands between two pages. On one Redis and on the cluster.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Asker, InvalidationRequest, InvalidationResult } from '~/server/invalidation/schema';
import { queuedRecord } from '~/server/invalidation/store/job-record';
import { createJobStore, newJobId, type FinishedCursor, type FinishedIndexBounds } from '~/server/invalidation/store/store';
import { adminKeys } from '~/server/redis/keys';
import { client, closeAll, namespace } from '../../support/redis';

afterAll(closeAll);

const base = 1_764_000_000_000;
const asker: Asker = { actor: { kind: 'token', label: 'index test' }, at: base, via: 'rest' };
const request: InvalidationRequest = { providers: ['groq'], cacheType: 'all', cascade: false, mode: 'soft', refresh: false };
const result: InvalidationResult = { success: true, providersInvalidated: 1, keysDeleted: 0, durationMs: 1 };

function setup(finishedIndex: FinishedIndexBounds = { keepMs: 60_000, maxJobs: 100 }) {
  const redis = client();
  const keys = adminKeys(namespace().adminPrefix);
  const store = createJobStore(redis, keys, { eventsMaxLen: 100, retentionSeconds: 60, coalesceWindowMs: 0, finishedIndex });
  /** A job created and ended at `base + offsetMs`, through the create and finish scripts. */
  async function endAt(offsetMs: number): Promise<string> {
    const id = newJobId(base);
    await store.createOrJoin(queuedRecord({ id, request, actor: asker.actor, providersTotal: 1, createdAt: base }), ['groq'], asker, { expiresAt: base + 60_000, token: 'owner' });
    const at = base + offsetMs;
    expect(await store.finish(id, 'owner', { status: 'completed', finishedAt: at, result }, { type: 'completed', at, result })).toMatchObject({ id, finishedAt: at });
    return id;
  }
  const indexed = async () => (await redis.zrange(keys.finishedJobs, 0, '-1', 'WITHSCORES')) as string[];
  return { store, endAt, indexed };
}

describe('the finished-jobs index', () => {
  it('pages through a range oldest end first, every job once, ties included; what ended outside it is not read', async () => {
    const { store, endAt } = setup();
    await endAt(0);
    const inside: [string, number][] = [];
    for (const offset of [1, 2, 2, 2, 2, 3, 5]) inside.push([await endAt(offset), offset]);
    await endAt(10);
    const range = { from: base + 1, to: base + 5 };
    const read: string[] = [];
    let cursor: FinishedCursor | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof store.finished>> = await store.finished(range, cursor, 2);
      read.push(...page.records.map((r) => r.id));
      cursor = page.next;
      pages += 1;
    } while (cursor && pages < 20);
    // Ordered by end, ties by id (as Redis orders equal scores).
    const expected = inside.sort(([a, x], [b, y]) => x - y || (a < b ? -1 : 1)).map(([id]) => id);
    expect(read).toEqual(expected);
  });

  it('a trim between two pages skips nothing still in the index', async () => {
    const { store, endAt } = setup({ keepMs: 60_000, maxJobs: 4 });
    // Three jobs ended in the same millisecond: the first page ends among them.
    const ids = [await endAt(1), await endAt(1), await endAt(1), await endAt(2)];
    const range = { from: base, to: base + 10 };
    const first = await store.finished(range, null, 2);
    expect(first.records).toHaveLength(2);
    // The next end trims the index to 4: the oldest (read already, at the page's last score) leaves
    // it, so an offset from that score would now skip one that was never read.
    const last = await endAt(3);
    const read = first.records.map((r) => r.id);
    let cursor = first.next;
    while (cursor) {
      const page = await store.finished(range, cursor, 2);
      read.push(...page.records.map((r) => r.id));
      cursor = page.next;
    }
    expect(read.sort()).toEqual([...ids, last].sort());
  });

  it('the terminal write trims it: ends older than keepMs before the newest, then the oldest beyond maxJobs', async () => {
    const { endAt, indexed } = setup({ keepMs: 1_000, maxJobs: 3 });
    const [, kept, newest] = [await endAt(0), await endAt(700), await endAt(1_600)];
    expect(await indexed()).toEqual([kept, String(base + 700), newest, String(base + 1_600)]);
    const more = [await endAt(1_700), await endAt(1_800)];
    expect(await indexed()).toEqual([newest, String(base + 1_600), more[0], String(base + 1_700), more[1], String(base + 1_800)]);
  });

  it('a runner that lost its lease writes nothing to it', async () => {
    const { store, indexed } = setup();
    const id = newJobId(base);
    await store.createOrJoin(queuedRecord({ id, request, actor: asker.actor, providersTotal: 1, createdAt: base }), ['groq'], asker, { expiresAt: base + 60_000, token: 'owner' });
    expect(await store.finish(id, 'another', { status: 'completed', finishedAt: base + 1, result }, { type: 'completed', at: base + 1, result })).toBeNull();
    expect(await indexed()).toEqual([]);
  });
});
