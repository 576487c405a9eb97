/** Per-model keys read from index sets: every key once, chunks bounded, reads sized to about one chunk of ids. */
import { afterAll, describe, expect, it } from 'vitest';
import { modelKeyChunks, nextGroupSize } from '~/server/invalidation/model-keys';
import { catalogKeys } from '~/server/redis/keys';
import { client, closeAll, namespace } from '../../support/redis';

afterAll(closeAll);

describe('reading index sets in groups', () => {
  it('sizes the next group to about one chunk of ids: 64 providers of small sets, fewer of large ones, never none', () => {
    expect(nextGroupSize(5000, 8 * 20, 8)).toBe(64);
    expect(nextGroupSize(5000, 8 * 1000, 8)).toBe(5);
    expect(nextGroupSize(5000, 100_000, 1)).toBe(1);
    expect(nextGroupSize(5000, 0, 8)).toBe(64);
    expect(nextGroupSize(5000, 0, 0)).toBe(64);
  });

  it('yields every per-model key of every provider once, across groups of any size, in chunks of at most `chunk`', async () => {
    const redis = client();
    const { id } = namespace();
    const gw = `t${id}:gw:`;
    const keys = catalogKeys(`t${id}:catalog:`, {
      templates: { providerModels: `${gw}models:$provider`, providerPricing: `${gw}pricing:$provider`, fullCatalog: `${gw}models:all`, providerList: `${gw}providers`, globalPricing: `${gw}pricing:all`, modelKey: `${gw}model:$provider:$model`, modelIndex: `${gw}models:$provider:ids` },
    });
    // Small sets first (a first group of 8, then 64 at a time), then large ones (a few per read).
    const providers = Array.from({ length: 90 }, (_, i) => `p${i}`);
    const sizeOf = (i: number) => (i < 70 ? i % 3 : 120 + i);
    const expected: string[] = [];
    for (const [i, p] of providers.entries()) {
      const ids = Array.from({ length: sizeOf(i) }, (_, j) => `m${j}`);
      if (ids.length) await redis.sadd(keys.modelIndex?.(p) as string, ...ids);
      for (const m of ids) expected.push(keys.modelKey?.(p, m) as string);
    }
    const got: string[] = [];
    const done: number[] = [];
    for await (const chunk of modelKeyChunks(redis, keys, providers, { chunk: 100 })) {
      expect(chunk.keys.length).toBeLessThanOrEqual(100);
      got.push(...chunk.keys);
      done.push(chunk.providersDone);
    }
    expect(got.sort()).toEqual(expected.sort());
    expect(done).toEqual([...done].sort((a, b) => a - b));
  });
});
