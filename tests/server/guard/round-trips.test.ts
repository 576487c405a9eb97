/**
 * What the catalog guard costs in Redis round trips, counted by a loopback proxy: nothing when a
 * refresh breaks no rule (the last published copy rides in the snapshot's read, the policy is this
 * instance's copy), and nothing more when it holds (the hold is the write). A reader's rebuild too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelSource, type ModelSource, type SourceModel } from '~/scripts/lib/model-source';
import { startRedisProxy, type RedisProxy } from '~/scripts/lib/redis-proxy';
import { createRegistry } from '~/server/catalog/sources/registry';
import { openAiCompatibleSource } from '~/server/catalog/sources/sources';
import { closeAll, harness, redisUrl } from '../../support/redis';

let source: ModelSource;
let proxy: RedisProxy;
beforeAll(async () => {
  source = await startModelSource();
  const url = new URL(redisUrl());
  proxy = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
});
afterAll(async () => {
  await source.close();
  await closeAll();
  await proxy.close();
});

const actor = { kind: 'token' as const, label: 't' };
const models = (factor = 1, count = 10): SourceModel[] =>
  Array.from({ length: count }, (_, i) => ({ id: `model-${i}`, context_length: 128_000, pricing: { prompt: String(0.0000025 * factor), completion: String(0.00001 * factor) } }));

async function setup(provider: string, guard: 'on' | 'off') {
  const registry = createRegistry([openAiCompatibleSource({ provider, url: source.url(provider) })]);
  const h = harness({ registry, catalogUrl: proxy.url, adminUrl: proxy.url, env: { CATALOG_GUARD: guard } });
  source.set(provider, { models: models() });
  await h.cache.seed([provider]);
  return h;
}

describe('the guard\'s round trips', () => {
  /** A soft refresh of one provider through a counting proxy, the guard on or off, the policy read just before. */
  async function refreshTrips(guard: 'on' | 'off', factor: number) {
    const provider = `rt${guard}${factor}`;
    const h = await setup(provider, guard);
    source.set(provider, { models: models(factor) });
    await h.policies.current();
    await Promise.all([h.adminRedis.ping(), h.catalogRedis.ping()]);
    proxy.resetCounters();
    const { jobId } = await h.invalidation.start({ providers: [provider], mode: 'soft', refresh: true, cascade: false }, actor);
    await h.runner.drain();
    const trips = proxy.roundTrips();
    const record = await h.invalidation.get(jobId);
    await h.shutdown(0);
    return { trips, status: record.result?.refresh?.[0]?.status };
  }

  it('a refresh that breaks nothing costs what it cost without the guard; a held one too (the hold is the write)', async () => {
    const off = await refreshTrips('off', 2);
    const on = await refreshTrips('on', 2);
    const held = await refreshTrips('on', 1000);
    expect([off.status, on.status, held.status]).toEqual(['refreshed', 'refreshed', 'held']);
    expect(on.trips).toBe(off.trips);
    expect(held.trips).toBe(off.trips);
  });

  it("a reader's rebuild after a delete is 2 (the read with the basis, the fenced write or the hold)", async () => {
    const counts: number[] = [];
    for (const [guard, factor] of [['off', 2], ['on', 2], ['on', 1000]] as const) {
      const provider = `rd${guard}${factor}`;
      const h = await setup(provider, guard);
      await h.invalidation.start({ providers: [provider], mode: 'delete', refresh: false, cascade: false }, actor);
      await h.runner.drain();
      source.set(provider, { models: models(factor) });
      await h.policies.current();
      proxy.resetCounters();
      const read = await h.cache.getProvider(provider);
      counts.push(proxy.roundTrips());
      expect(read.cache).toBe('MISS');
      expect(read.held === true).toBe(factor === 1000);
      await h.shutdown(0);
    }
    expect(counts).toEqual([2, 2, 2]);
  });
});
