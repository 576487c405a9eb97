/**
 * The batch engine on the private 3-master cluster (the cluster project only): a batch spanning
 * every node is grouped by node, one pipeline per node, and deletes exactly the planned keys,
 * with the fences bumped; per-model keys of a gateway layout spread over all slots go too.
 */
import calculateSlot from 'cluster-key-slot';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineFailure, executePlan } from '~/server/invalidation/engine';
import { modelKeyChunks } from '~/server/invalidation/model-keys';
import { planInvalidation } from '~/server/invalidation/plan';
import { mastersOf } from '~/server/redis/cluster';
import { catalogKeys } from '~/server/redis/keys';
import { client, closeAll, keysUnder, namespace, onCluster } from '../../support/redis';

afterAll(closeAll);

const request = { providers: 'all' as const, cacheType: 'all' as const, cascade: true, mode: 'delete' as const };
const names = Array.from({ length: 40 }, (_, i) => `p${i}`);

describe('the engine on a 3-master cluster', () => {
  it('runs on the cluster project', () => expect(onCluster()).toBe(true));

  it('groups a batch over every node, deletes exactly the planned keys and bumps each fence', async () => {
    const redis = client();
    await redis.ping();
    expect(await mastersOf(redis)).toHaveLength(3);
    const { catalogPrefix } = namespace();
    const keys = catalogKeys(catalogPrefix);
    const planned = [...names.flatMap((p) => keys.providerKeys(p)), keys.fullCatalog, keys.providerList, keys.pricing];
    for (const key of planned) await redis.set(key, 'x');
    await redis.set(`${keys.providerModels('p1')}:backup`, 'keep');
    const plan = planInvalidation(request, names, keys, 5000);
    const outcome = await executePlan(redis, plan);
    expect(outcome).toMatchObject({ providersInvalidated: 40, keysDeleted: planned.length });
    expect(await keysUnder(redis, catalogPrefix)).toEqual(
      [`${keys.providerModels('p1')}:backup`, ...names.map((p) => keys.providerGeneration(p)), keys.globalGeneration].sort(),
    );
    expect(await redis.get(keys.providerGeneration('p7'))).toBe('1');
    // The generations the job announces are the fences' values after the bump, the global one included.
    expect(outcome.generations.get('p7')).toBe('1');
    expect(outcome.generations.get(null)).toBe('1');
    expect(outcome.generations.size).toBe(41);
  });

  it('a soft batch announces each provider\'s fence after its mark, read back from its node', async () => {
    const redis = client();
    const { catalogPrefix } = namespace();
    const keys = catalogKeys(catalogPrefix);
    const providers = names.slice(0, 6);
    for (const [i, p] of providers.entries()) await redis.set(keys.providerGeneration(p), String(40 + i));
    const plan = planInvalidation({ ...request, providers, cacheType: 'models', cascade: false, mode: 'soft' }, providers, keys, 5000);
    const outcome = await executePlan(redis, plan);
    expect(outcome).toMatchObject({ providersInvalidated: 6, keysDeleted: 0, keysMarkedStale: 0 });
    expect(Object.fromEntries(outcome.generations)).toEqual(Object.fromEntries(providers.map((p, i) => [p, String(41 + i)])));
  });

  it('a command that fails is reported by name and key, its provider is not counted, and the rest of the batch still runs', async () => {
    const redis = client();
    const { catalogPrefix } = namespace();
    const keys = catalogKeys(catalogPrefix);
    const providers = names.slice(0, 4);
    for (const p of providers) await redis.set(keys.providerModels(p), 'x');
    // A fence that is not a number: its INCR fails on its node (and the soft mark's script with it).
    await redis.set(keys.providerGeneration('p2'), 'not-a-number');
    const hard = await executePlan(redis, planInvalidation({ ...request, providers, cacheType: 'models', cascade: false }, providers, keys, 5000)).catch((e: unknown) => e);
    expect(hard).toBeInstanceOf(EngineFailure);
    const failure = hard as EngineFailure;
    expect(failure.commandErrors).toEqual([{ command: 'INCR', keys: [keys.providerGeneration('p2')], error: expect.stringMatching(/not an integer/) }]);
    expect(failure.outcome).toMatchObject({ providersInvalidated: 3, keysDeleted: 4 });
    expect(failure.outcome.generations.has('p2')).toBe(false);
    for (const p of providers) expect(await redis.exists(keys.providerModels(p))).toBe(0);

    const soft = await executePlan(redis, planInvalidation({ ...request, providers, cacheType: 'models', cascade: false, mode: 'soft' }, providers, keys, 5000)).catch((e: unknown) => e);
    const softFailure = soft as EngineFailure;
    expect(softFailure.commandErrors).toEqual([{ command: 'MARK STALE', keys: [keys.providerModels('p2')], error: expect.stringMatching(/not an integer/) }]);
    expect(softFailure.outcome.providersInvalidated).toBe(3);
    expect([...softFailure.outcome.generations.keys()].sort()).toEqual(['p0', 'p1', 'p3']);
  });

  it('deletes a gateway\'s per-model keys spread over all slots, from its index set, and no lookalike', async () => {
    const redis = client();
    const { id } = namespace();
    const gw = `t${id}:gw:`;
    const keys = catalogKeys(`t${id}:catalog:`, {
      templates: {
        providerModels: `${gw}models:$provider`,
        providerPricing: `${gw}pricing:$provider`,
        fullCatalog: `${gw}models:all`,
        providerList: `${gw}providers`,
        globalPricing: `${gw}pricing:all`,
        modelKey: `${gw}model:$provider:$model`,
        modelIndex: `${gw}models:$provider:ids`,
      },
      providers: names,
    });
    const providers = names.slice(0, 5);
    const modelKeys: string[] = [];
    for (const p of providers) {
      const ids = Array.from({ length: 50 }, (_, i) => `m${i}`);
      await redis.sadd(keys.modelIndex?.(p) as string, ...ids);
      await redis.set(keys.providerModels(p), '{"data":[]}');
      for (const m of ids) {
        const key = keys.modelKey?.(p, m) as string;
        modelKeys.push(key);
        await redis.set(key, '1');
      }
    }
    await redis.set(`${gw}model:p10:m1`, 'another provider');
    expect(new Set(modelKeys.map((k) => calculateSlot(k))).size).toBeGreaterThan(100);
    const plan = planInvalidation({ ...request, providers, cacheType: 'models' }, providers, keys, 5000);
    expect(plan.modelKeys).toBe(true);
    const outcome = await executePlan(redis, plan, { modelKeys: (ps) => modelKeyChunks(redis, keys, ps, { chunk: 64 }) });
    expect(outcome).toMatchObject({ providersInvalidated: 5, keysDeleted: 250 + 5 });
    const left = await keysUnder(redis, gw);
    expect(left.filter((k) => k.includes(':model:'))).toEqual([`${gw}model:p10:m1`]);
    expect(left.filter((k) => k.endsWith(':ids'))).toHaveLength(5);
  });
});
