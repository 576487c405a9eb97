/** A job keeps the keys it planned (bounded) in its result for its page, computed from its plan; lists leave them out. */
import { afterAll, describe, expect, it } from 'vitest';
import { plannedKeys } from '~/server/invalidation/plan';
import { closeAll, harness } from '../../support/redis';

afterAll(closeAll);
const actor = { kind: 'session' as const, label: 'admin (session abcd1234)' };

const command = (keys: string[]) => ({ provider: null, op: 'unlink' as const, keys, fence: 'f' });

describe('plannedKeys', () => {
  it('lists the plan\'s keys in order, at most `max`, with the exact total', () => {
    const plan = { keysPlanned: 5, batches: [{ providers: [], commands: [command(['a', 'b']), command(['c'])] }, { providers: [], commands: [command(['d', 'e'])] }] };
    expect(plannedKeys(plan)).toEqual({ keys: ['a', 'b', 'c', 'd', 'e'], total: 5 });
    expect(plannedKeys(plan, 3)).toEqual({ keys: ['a', 'b', 'c'], total: 5 });
    expect(plannedKeys(plan, 0)).toEqual({ keys: [], total: 5 });
  });
});

describe('a job\'s planned keys', () => {
  it('are in its record, and not in the history or the Jobs view', async () => {
    const h = harness();
    await h.cache.seed(['groq', 'xai']);
    const { jobId } = await h.invalidation.start({ providers: ['groq', 'xai'], cacheType: 'models', cascade: true }, actor);
    await h.runner.drain();
    const record = await h.invalidation.get(jobId);
    expect(record.result?.plannedKeys).toEqual({
      keys: [h.keys.catalog.providerModels('groq'), h.keys.catalog.providerModels('xai'), h.keys.catalog.fullCatalog],
      total: 3,
    });
    const listed = (await h.invalidation.history({ limit: 10 })).items.find((j) => j.id === jobId);
    expect(listed?.result).toMatchObject({ keysDeleted: 3 });
    expect(listed?.result?.plannedKeys).toBeUndefined();
    const recent = (await h.invalidation.recent(actor)).items.find((j) => j.id === jobId);
    expect(recent?.result?.plannedKeys).toBeUndefined();
  });
});
