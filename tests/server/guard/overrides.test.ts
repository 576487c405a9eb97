/**
 * Per-model overrides through tRPC (createCaller) on real Redis, with a loopback source that changes
 * its answers: an override survives every way a catalog is published (a soft refresh, a delete with
 * refresh, a reader's rebuild, an approval), hidden hides, removing restores the source's value, the
 * guard judges the source's answer (an override neither hides a ×1,000 nor makes one), bad input and
 * non-admins are refused with nothing changed, and every change is audited.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceModel } from '~/scripts/lib/model-source';
import { createRegistry } from '~/server/catalog/sources/registry';
import { openAiCompatibleSource } from '~/server/catalog/sources/sources';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin, operatorAccount, viewerAccount } from '../../support/principals';
import { closeAll, harness } from '../../support/redis';
import { modelSourceForFile } from '../../support/model-source';

const source = modelSourceForFile();
afterAll(closeAll);

const token = { kind: 'token' as const, label: 't' };
/** Ten priced models (2.50 / 10.00 $/MTok, 128k); `factor` multiplies every price, `first` model-0's only. */
const models = ({ factor = 1, first = 1 } = {}): SourceModel[] =>
  Array.from({ length: 10 }, (_, i) => {
    const f = factor * (i === 0 ? first : 1);
    return { id: `model-${i}`, name: `Model ${i}`, context_length: 128_000, pricing: { prompt: String(0.0000025 * f), completion: String(0.00001 * f) } };
  });

async function setup(provider: string) {
  const registry = createRegistry([openAiCompatibleSource({ provider, url: source.url(provider) })]);
  const h = harness({ registry, env: { CATALOG_GUARD: 'on' } });
  source.set(provider, { models: models() });
  await h.cache.seed([provider]);
  return {
    h,
    admin: createCaller({ services: h, actor: bootstrapAdmin }),
    operator: createCaller({ services: h, actor: operatorAccount }),
    viewer: createCaller({ services: h, actor: viewerAccount }),
  };
}

type Harness = ReturnType<typeof harness>;

/** An invalidation of `provider` (soft or delete, with its refresh) and its outcome for it. */
async function refresh(h: Harness, provider: string, mode: 'soft' | 'delete' = 'soft') {
  const { jobId } = await h.invalidation.start({ providers: [provider], mode, refresh: true, cascade: false }, token);
  await h.runner.drain();
  return (await h.invalidation.get(jobId)).result?.refresh?.[0];
}

/** What a reader gets of one model now (undefined when it is not listed). */
const served = async (h: Harness, provider: string, id: string) => (await h.cache.getProvider(provider)).catalog.models.find((m) => m.id === id);
const pricing = async (h: Harness, provider: string) => JSON.parse((await h.catalogRedis.get(h.keys.catalog.providerPricing(provider))) ?? '{}') as Record<string, unknown>;

describe('catalog.saveOverride, catalog.overrides, catalog.removeOverride', () => {
  it('an override applies at once and survives a soft refresh, a delete with refresh and a reader\'s rebuild; the others follow the source', async () => {
    const { h, admin, viewer } = await setup('oa');
    await admin.catalog.saveOverride({ provider: 'oa', model: 'model-0', pricing: { inputPerMTok: 7, outputPerMTok: 9 }, contextLength: 64_000, name: 'Pinned' });
    const pinned = { id: 'model-0', name: 'Pinned', contextLength: 64_000, pricing: { inputPerMTok: 7, outputPerMTok: 9 } };
    expect(await served(h, 'oa', 'model-0')).toMatchObject(pinned);
    expect((await pricing(h, 'oa'))['model-0']).toEqual({ inputPerMTok: 7, outputPerMTok: 9 });
    expect(await viewer.catalog.overrides()).toMatchObject([{ provider: 'oa', model: 'model-0', pricing: { inputPerMTok: 7, outputPerMTok: 9 }, updatedBy: 'admin (bootstrap)' }]);

    // Three publishes, each a different path; the source moves model-1's price ×2 (inside the rules) in between.
    source.set('oa', { models: models({ factor: 2 }) });
    expect(await refresh(h, 'oa', 'soft')).toMatchObject({ status: 'refreshed' });
    expect(await served(h, 'oa', 'model-0')).toMatchObject(pinned);
    expect((await served(h, 'oa', 'model-1'))?.pricing).toEqual({ inputPerMTok: 5, outputPerMTok: 20 });

    source.set('oa', { models: models({ factor: 1 }) });
    expect(await refresh(h, 'oa', 'delete')).toMatchObject({ status: 'refreshed' });
    expect(await served(h, 'oa', 'model-0')).toMatchObject(pinned);
    expect((await served(h, 'oa', 'model-1'))?.pricing).toEqual({ inputPerMTok: 2.5, outputPerMTok: 10 });

    source.set('oa', { models: models({ factor: 3 }) });
    await h.invalidation.start({ providers: ['oa'], mode: 'delete', refresh: false, cascade: false }, token);
    await h.runner.drain();
    const rebuilt = await h.cache.getProvider('oa');
    expect(rebuilt.cache).toBe('MISS');
    expect(rebuilt.catalog.models.find((m) => m.id === 'model-0')).toMatchObject(pinned);
    expect(await served(h, 'oa', 'model-0')).toMatchObject(pinned);
    expect((await served(h, 'oa', 'model-1'))?.pricing).toEqual({ inputPerMTok: 7.5, outputPerMTok: 30 });
    expect((await pricing(h, 'oa'))['model-0']).toEqual({ inputPerMTok: 7, outputPerMTok: 9 });
    expect(await viewer.catalog.overrides({ provider: 'oa' })).toHaveLength(1);
    expect((await h.audit.list({ limit: 10, action: 'catalog.saveOverride' })).items).toMatchObject([
      { target: 'oa', actorName: 'admin (bootstrap)', details: { model: 'model-0', override: { pricing: { inputPerMTok: 7, outputPerMTok: 9 }, contextLength: 64_000, name: 'Pinned' } } },
    ]);
  });

  it('the guard judges the source\'s answer: an override neither hides a ×1,000 nor is one; an approval keeps the override', async () => {
    const { h, admin } = await setup('og');
    // 2,000 times the source's price: were the overridden copy the basis, the same answer again would look ÷2,000.
    await admin.catalog.saveOverride({ provider: 'og', model: 'model-0', pricing: { inputPerMTok: 5000, outputPerMTok: 20_000 } });
    expect(await refresh(h, 'og')).toMatchObject({ status: 'unchanged' });

    source.set('og', { models: models({ first: 1000 }) });
    const held = await refresh(h, 'og');
    expect(held).toMatchObject({ status: 'held', breaches: expect.arrayContaining(['model-0 input price 2.50 → 2,500.00 $/MTok, ×1,000 (limit ×10)']) });
    expect((await served(h, 'og', 'model-0'))?.pricing).toEqual({ inputPerMTok: 5000, outputPerMTok: 20_000 });

    // A delete while held: the reader gets the last published copy re-stored, with the override.
    await h.invalidation.start({ providers: ['og'], mode: 'delete', refresh: false, cascade: false }, token);
    await h.runner.drain();
    const read = await h.cache.getProvider('og');
    expect(read).toMatchObject({ held: true });
    expect(read.catalog.models.find((m) => m.id === 'model-0')?.pricing).toEqual({ inputPerMTok: 5000, outputPerMTok: 20_000 });

    source.set('og', { models: models({ factor: 1000 }) });
    expect(await refresh(h, 'og')).toMatchObject({ status: 'held' });
    const id = (await admin.catalog.held({ provider: 'og' }))[0]?.id ?? '';
    await admin.catalog.approve({ provider: 'og', id });
    expect((await served(h, 'og', 'model-0'))?.pricing).toEqual({ inputPerMTok: 5000, outputPerMTok: 20_000 });
    expect((await served(h, 'og', 'model-1'))?.pricing).toEqual({ inputPerMTok: 2500, outputPerMTok: 10_000 });
    expect((await pricing(h, 'og'))['model-0']).toEqual({ inputPerMTok: 5000, outputPerMTok: 20_000 });
  });

  it('hidden hides a model from readers and its pricing, through a refresh; removing the override restores the source\'s value at once', async () => {
    const { h, admin } = await setup('oh');
    await admin.catalog.saveOverride({ provider: 'oh', model: 'model-3', hidden: true });
    await admin.catalog.saveOverride({ provider: 'oh', model: 'model-0', pricing: { inputPerMTok: 1, outputPerMTok: 1 } });
    expect(await served(h, 'oh', 'model-3')).toBeUndefined();
    expect(await pricing(h, 'oh')).not.toHaveProperty('model-3');
    expect(await refresh(h, 'oh')).toMatchObject({ status: 'unchanged', modelCount: 9 });
    expect((await h.cache.getProvider('oh')).catalog.models.map((m) => m.id)).not.toContain('model-3');

    await admin.catalog.removeOverride({ provider: 'oh', model: 'model-3' });
    await admin.catalog.removeOverride({ provider: 'oh', model: 'model-0' });
    expect(await served(h, 'oh', 'model-3')).toMatchObject({ id: 'model-3', pricing: { inputPerMTok: 2.5, outputPerMTok: 10 } });
    expect((await served(h, 'oh', 'model-0'))?.pricing).toEqual({ inputPerMTok: 2.5, outputPerMTok: 10 });
    expect((await pricing(h, 'oh'))['model-3']).toEqual({ inputPerMTok: 2.5, outputPerMTok: 10 });
    expect(await admin.catalog.overrides()).toEqual([]);
    expect(await refresh(h, 'oh')).toMatchObject({ status: 'unchanged', modelCount: 10 });

    await expect(admin.catalog.removeOverride({ provider: 'oh', model: 'model-3' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'oh has no override for the model model-3' });
    expect((await h.audit.list({ limit: 10, action: 'catalog.removeOverride' })).items).toHaveLength(2);
  });

  it('bad input and callers below admin are refused with the right code, and nothing changes', async () => {
    const { h, admin, operator, viewer } = await setup('ob');
    const before = await h.cache.getProvider('ob');
    const good = { provider: 'ob', model: 'model-0', pricing: { inputPerMTok: 1, outputPerMTok: 1 } };
    await expect(admin.catalog.saveOverride({ ...good, provider: 'Bad*Name' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/glob character/) });
    await expect(admin.catalog.saveOverride({ ...good, provider: 'nope' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'Unknown provider: nope' });
    await expect(admin.catalog.saveOverride({ ...good, pricing: { inputPerMTok: -1, outputPerMTok: 1 } })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/a price is at least 0 \$\/MTok/) });
    await expect(admin.catalog.saveOverride({ provider: 'ob', model: 'model-0', hidden: false })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/pins at least one of/) });
    await expect(admin.catalog.saveOverride({ ...good, contextLength: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(operator.catalog.saveOverride(good)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(viewer.catalog.saveOverride(good)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await admin.catalog.saveOverride(good);
    await expect(viewer.catalog.removeOverride({ provider: 'ob', model: 'model-0' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(operator.catalog.removeOverride({ provider: 'ob', model: 'model-0' })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    expect(await viewer.catalog.overrides()).toMatchObject([good]);
    expect((await h.audit.list({ limit: 10, action: 'catalog.saveOverride' })).items).toHaveLength(1);
    const after = await h.cache.getProvider('ob');
    expect(after.catalog.models.slice(1)).toEqual(before.catalog.models.slice(1));
    expect(after.catalog.models[0]?.pricing).toEqual({ inputPerMTok: 1, outputPerMTok: 1 });
  });
});
