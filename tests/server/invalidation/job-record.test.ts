/**
 * The job record and event entry codecs: what the TypeScript encoder hands the Lua is what the
 * decoder reads back, after the create script (askers in the pending entry) and after the begin
 * script (askers moved into the record), and stream entries written by Lua or by a MULTI decode alike.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { toStoredEvent } from '~/server/invalidation/store/event-entry';
import { decodeJobRecord, encodeJobFields, queuedRecord } from '~/server/invalidation/store/job-record';
import type { Asker, JobEvent, JobRecord } from '~/server/invalidation/schema';
import { createJobStore, newJobId } from '~/server/invalidation/store/store';
import { adminKeys } from '~/server/redis/keys';
import { client, closeAll, namespace } from '../../support/redis';

afterAll(closeAll);

const createdAt = 1_764_000_000_123;
const asker: Asker = { actor: { kind: 'token', label: 'nightly «refresh»' }, at: createdAt, via: 'rest' };

const record = (id: string): JobRecord =>
  queuedRecord({ id, request: { providers: ['groq', 'xai'], cacheType: 'all', cascade: false, mode: 'soft', refresh: true }, actor: asker.actor, providersTotal: 2, createdAt });

function setup() {
  const redis = client();
  const keys = adminKeys(namespace().adminPrefix);
  const store = createJobStore(redis, keys, { eventsMaxLen: 100, retentionSeconds: 60, coalesceWindowMs: 0, finishedIndex: { keepMs: 60_000, maxJobs: 100 } });
  return { redis, keys, store };
}

describe('the job record codec', () => {
  it('round-trips a finished record through encode and decode', () => {
    const finished: JobRecord = {
      ...record(newJobId(createdAt)),
      status: 'failed',
      startedAt: createdAt + 1,
      finishedAt: createdAt + 2,
      result: { success: false, providersInvalidated: 1, keysDeleted: 3, durationMs: 1, takenOver: { by: 'b', from: 'a', attempt: 2 } },
      error: { message: 'refused', commandErrors: [{ command: 'UNLINK', keys: ['k'], error: 'NOPERM' }] },
      askers: [asker, asker],
      joined: 1,
      attempt: 2,
    };
    expect(decodeJobRecord(encodeJobFields(finished))).toEqual(finished);
    expect(decodeJobRecord({})).toBeNull();
  });

  it('what the create script writes decodes as the record, its creator asking; what begin moves into the record decodes the same', async () => {
    const { redis, keys, store } = setup();
    const id = newJobId(createdAt);
    const created = await store.createOrJoin(record(id), ['xai', 'groq'], asker, { expiresAt: createdAt + 10_000, token: 'owner' });
    expect(created).toEqual({ jobId: id, coalesced: false, delayMs: 0, refusedForMs: 0 });
    const second: Asker = { ...asker, via: 'trpc' };
    expect(await store.createOrJoin(record(newJobId(createdAt)), ['groq', 'xai'], second, { expiresAt: 0, token: 'x' })).toMatchObject({ jobId: id, coalesced: true });
    const expected = { ...record(id), askers: [asker, second], joined: 1 };
    expect(await store.get(id)).toEqual(expected);

    const multi = store.multi();
    store.queueBegin(multi, id, 'owner', { status: 'running', startedAt: createdAt + 5 }, { type: 'started', at: createdAt + 5, providersTotal: 2, keysPlanned: 5 });
    expect(await multi.exec()).toEqual([[null, 1]]);
    expect(await redis.hget(keys.pendingJobs, id)).toBeNull();
    // The pending entry is gone: the record alone now holds the askers, as the codec reads them.
    expect(decodeJobRecord(await redis.hgetall(keys.job(id)))).toEqual({ ...expected, status: 'running', startedAt: createdAt + 5 });
  });

  it('decodes a stream entry the same whether a script or a MULTI appended it', async () => {
    const { redis, keys, store } = setup();
    const id = newJobId(createdAt);
    await store.createOrJoin(record(id), ['groq', 'xai'], asker, { expiresAt: createdAt + 10_000, token: 'owner' });
    const progress: JobEvent = { type: 'progress', at: createdAt + 1, stage: 'providers', providersDone: 1, providersTotal: 2, keysDeleted: 2 };
    await store.progress(id, progress);
    const entries = await redis.xrange(keys.jobEvents(id), '-', '+');
    expect(entries.map(([entryId, fields]) => toStoredEvent(entryId, fields).event)).toEqual([{ type: 'queued', at: createdAt, providersTotal: 2 }, progress]);
  });
});
