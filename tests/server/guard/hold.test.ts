/**
 * The hold, against real Redis and a loopback source that changes its answers: a candidate that
 * breaks a `hold` rule is not published, readers keep the last published catalog (flagged), a
 * delete does not lose it, a newer fetch replaces the held candidate. Round trips: round-trips.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceModel } from '~/scripts/lib/model-source';
import { createRegistry } from '~/server/catalog/sources/registry';
import { openAiCompatibleSource } from '~/server/catalog/sources/sources';
import type { ProviderRefresh } from '~/server/invalidation/refresh-schema';
import { closeAll, collectEvents, harness } from '../../support/redis';
import { modelSourceForFile } from '../../support/model-source';

const source = modelSourceForFile();
afterAll(closeAll);

const actor = { kind: 'token' as const, label: 't' };
/** Ten models at 2.50 / 10.00 $/MTok (OpenRouter-style per-token prices), `factor` times that. */
const models = (factor = 1, count = 10): SourceModel[] =>
  Array.from({ length: count }, (_, i) => ({ id: `model-${i}`, context_length: 128_000, pricing: { prompt: String(0.0000025 * factor), completion: String(0.00001 * factor) } }));

async function setup(provider: string, extra: Parameters<typeof harness>[0] = {}) {
  const registry = createRegistry([openAiCompatibleSource({ provider, url: source.url(provider) })]);
  const h = harness({ registry, ...extra, env: { CATALOG_GUARD: 'on', ...extra.env } });
  source.set(provider, { models: models() });
  await h.cache.seed([provider]);
  return h;
}

type H = Awaited<ReturnType<typeof setup>>;

async function refresh(h: H, provider: string, mode: 'soft' | 'delete' = 'soft'): Promise<ProviderRefresh | undefined> {
  const { jobId } = await h.invalidation.start({ providers: [provider], mode, refresh: true, cascade: false }, actor);
  const last = (await collectEvents(h, jobId)).at(-1)?.event;
  return last?.type === 'completed' ? last.result.refresh?.[0] : undefined;
}

const inputPrice = (catalog: { models: { pricing: { inputPerMTok: number } | null }[] }) => catalog.models[0]?.pricing?.inputPerMTok;

describe('the hold', () => {
  it('holds prices ×1,000: the job says held in words, readers keep the last published catalog, flagged', async () => {
    const h = await setup('gx');
    source.set('gx', { models: models(1000) });
    const outcome = await refresh(h, 'gx');
    expect(outcome).toMatchObject({ provider: 'gx', status: 'held', changed: expect.arrayContaining(['model-0']), modelCount: 10 });
    expect(outcome?.breaches).toContain('model-0 input price 2.50 → 2,500.00 $/MTok, ×1,000 (limit ×10)');

    const read = await h.cache.getProvider('gx');
    expect(read).toMatchObject({ cache: 'HIT', held: true });
    expect(inputPrice(read.catalog)).toBe(2.5);
    expect((await h.cache.state()).find((p) => p.name === 'gx')).toMatchObject({ cached: true, stale: false, held: true });
    const [held] = await h.cache.held(['gx']);
    expect(held?.held).toMatchObject({ breaches: expect.arrayContaining([expect.stringMatching(/×1,000/)]), diff: { changed: expect.arrayContaining(['model-0']) } });
    expect(held?.published?.models).toHaveLength(10);
    await h.shutdown(0);
  });

  it('a scheduled-style refresh in delete mode holds too: the reader gets the last published catalog, re-stored through the fence', async () => {
    const h = await setup('gd');
    source.set('gd', { models: models(1, 1) }); // 9 of 10 withdrawn
    const outcome = await refresh(h, 'gd', 'delete');
    expect(outcome).toMatchObject({ status: 'held', removed: expect.arrayContaining(['model-9']), modelCount: 10 });
    expect(outcome?.breaches).toEqual(['9 of 10 models removed (90 %, limit 20 %)']);
    const read = await h.cache.getProvider('gd');
    expect(read).toMatchObject({ held: true });
    expect(read.catalog.models).toHaveLength(10);
    await h.shutdown(0);
  });

  it("a reader's rebuild after a delete is checked too: it gets the last published catalog, flagged, and the copy is re-stored", async () => {
    const h = await setup('gr');
    await h.invalidation.start({ providers: ['gr'], mode: 'delete', refresh: false, cascade: false }, actor);
    await h.runner.drain();
    source.set('gr', { models: models(1).map((m) => ({ ...m, pricing: undefined })) }); // every price gone
    const first = await h.cache.getProvider('gr');
    expect(first).toMatchObject({ cache: 'MISS', held: true });
    expect(inputPrice(first.catalog)).toBe(2.5);
    const hits = source.hits('gr');
    const again = await h.cache.getProvider('gr');
    expect(again).toMatchObject({ cache: 'HIT', held: true });
    expect(source.hits('gr')).toBe(hits); // served from the re-stored copy, not one fetch per read
    const [held] = await h.cache.held(['gr']);
    expect(held?.held?.breaches).toContain('model-0 lost its price (input 2.50, output 10.00 $/MTok before)');
    await h.shutdown(0);
  });

  it('a newer fetch replaces a held candidate, and one that breaks nothing publishes and clears the hold', async () => {
    const h = await setup('gn');
    source.set('gn', { models: models(1000) });
    await refresh(h, 'gn');
    const first = (await h.cache.held(['gn']))[0]?.held?.id;
    source.set('gn', { models: models(0) }); // every price to 0
    expect(await refresh(h, 'gn')).toMatchObject({ status: 'held' });
    const second = (await h.cache.held(['gn']))[0]?.held;
    expect(second?.id).not.toBe(first);
    expect(second?.breaches[0]).toMatch(/→ 0\.00 \$\/MTok \(a priced model going to 0\)/);
    source.set('gn', { models: models(2) }); // ×2: inside ×10
    expect(await refresh(h, 'gn')).toMatchObject({ status: 'refreshed', changed: expect.arrayContaining(['model-0']) });
    expect((await h.cache.held(['gn']))[0]?.held).toBeNull();
    const read = await h.cache.getProvider('gn');
    expect(read.held).toBeUndefined();
    expect(inputPrice(read.catalog)).toBe(5);
    // The published copy moved with it: ×10 from 5.00 passes, ×10 from the old 2.50 would not have.
    source.set('gn', { models: models(20) });
    expect(await refresh(h, 'gn')).toMatchObject({ status: 'refreshed' });
    await h.shutdown(0);
  });

  it('an `alert` rule publishes and reports', async () => {
    const h = await setup('ga');
    await h.policies.save({ defaults: { ...(await h.policies.get()).defaults, priceFactor: { limit: 10, action: 'alert' } } });
    source.set('ga', { models: models(1000) });
    const outcome = await refresh(h, 'ga');
    expect(outcome).toMatchObject({ status: 'refreshed', alerts: expect.arrayContaining(['model-0 input price 2.50 → 2,500.00 $/MTok, ×1,000 (limit ×10)']) });
    expect(inputPrice((await h.cache.getProvider('ga')).catalog)).toBe(2500);
    await h.shutdown(0);
  });
});

describe('the global pricing rebuild (cacheType "all")', () => {
  it('never quotes a held price: a provider whose answer breaks a hold rule keeps its last published prices there', async () => {
    const h = await setup('gp');
    source.set('gp', { models: models(1000) });
    const { jobId } = await h.invalidation.start({ providers: ['gp'], cacheType: 'all', refresh: false, cascade: true }, actor);
    await h.runner.drain();
    expect((await h.invalidation.get(jobId)).status).toBe('completed');
    const table = JSON.parse((await h.catalogRedis.get(h.keys.catalog.pricing)) ?? '{}') as Record<string, Record<string, { inputPerMTok: number }>>;
    expect(table.gp?.['model-0']?.inputPerMTok).toBe(2.5);
    await h.shutdown(0);
  });
});
