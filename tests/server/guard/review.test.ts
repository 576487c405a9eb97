/**
 * The guard through tRPC (createCaller) on real Redis, with a loopback source that changes its
 * answers: ×1,000 prices held, readers get the last published catalog, approve publishes, reject
 * discards, an approval overtaken by an invalidation fails in words, a scheduled refresh holds like
 * a manual one, and the policy is a viewer's to read and an admin's to change (audited).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceModel } from '~/scripts/lib/model-source';
import { createRegistry } from '~/server/catalog/sources/registry';
import { openAiCompatibleSource } from '~/server/catalog/sources/sources';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin, viewerAccount } from '../../support/principals';
import { closeAll, harness } from '../../support/redis';
import { until } from '../../support/until';
import { modelSourceForFile } from '../../support/model-source';

const source = modelSourceForFile();
afterAll(closeAll);

const token = { kind: 'token' as const, label: 't' };
const models = (factor = 1): SourceModel[] =>
  Array.from({ length: 10 }, (_, i) => ({ id: `model-${i}`, context_length: 128_000, pricing: { prompt: String(0.0000025 * factor), completion: String(0.00001 * factor) } }));

async function setup(provider: string) {
  const registry = createRegistry([openAiCompatibleSource({ provider, url: source.url(provider) })]);
  const h = harness({ registry, env: { CATALOG_GUARD: 'on' } });
  source.set(provider, { models: models() });
  await h.cache.seed([provider]);
  return { h, admin: createCaller({ services: h, actor: bootstrapAdmin }), viewer: createCaller({ services: h, actor: viewerAccount }) };
}

/** A soft refresh of `provider` with the source answering prices ×`factor`; the job's outcome for it. */
async function refreshAt(h: ReturnType<typeof harness>, provider: string, factor: number) {
  source.set(provider, { models: models(factor) });
  const { jobId } = await h.invalidation.start({ providers: [provider], mode: 'soft', refresh: true, cascade: false }, token);
  await h.runner.drain();
  return (await h.invalidation.get(jobId)).result?.refresh?.[0];
}

const price = async (h: ReturnType<typeof harness>, provider: string) => {
  const read = await h.cache.getProvider(provider);
  return { input: read.catalog.models[0]?.pricing?.inputPerMTok, held: read.held ?? false };
};

describe('catalog.held, catalog.approve, catalog.reject', () => {
  it('lists a held candidate per model before → after; a viewer sees it and cannot approve; an admin approves and readers get it', async () => {
    const { h, admin, viewer } = await setup('va');
    expect(await refreshAt(h, 'va', 1000)).toMatchObject({ status: 'held' });
    expect(await price(h, 'va')).toEqual({ input: 2.5, held: true });

    const [held, ...others] = await viewer.catalog.held();
    expect(others).toEqual([]);
    expect(held).toMatchObject({ provider: 'va', candidateModels: 10, publishedModels: 10, breaches: expect.arrayContaining(['model-0 input price 2.50 → 2,500.00 $/MTok, ×1,000 (limit ×10)']) });
    const change = held?.changes.find((c) => c.id === 'model-0');
    expect(change).toMatchObject({ kind: 'changed' });
    expect(change?.fields).toEqual(
      expect.arrayContaining([
        { field: 'input price', before: '2.50 $/MTok', after: '2,500.00 $/MTok' },
        { field: 'output price', before: '10.00 $/MTok', after: '10,000.00 $/MTok' },
      ]),
    );

    const id = held?.id ?? '';
    await expect(viewer.catalog.approve({ provider: 'va', id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await admin.catalog.approve({ provider: 'va', id });
    expect(await price(h, 'va')).toEqual({ input: 2500, held: false });
    expect(await viewer.catalog.held()).toEqual([]);
    expect((await h.cache.state()).find((p) => p.name === 'va')?.held).toBe(false);
    // The approved catalog is the new baseline: the same prices again are unchanged, not held.
    expect(await refreshAt(h, 'va', 1000)).toMatchObject({ status: 'unchanged' });
    expect((await h.audit.list({ limit: 10, action: 'catalog.approve' })).items).toMatchObject([{ target: 'va', actorName: 'admin (bootstrap)', details: { candidate: id } }]);
  });

  it('reject discards the candidate: readers keep the last published catalog, no longer flagged; the same id again is a CONFLICT', async () => {
    const { h, admin, viewer } = await setup('vr');
    await refreshAt(h, 'vr', 1000);
    const id = (await viewer.catalog.held({ provider: 'vr' }))[0]?.id ?? '';
    await admin.catalog.reject({ provider: 'vr', id });
    expect(await price(h, 'vr')).toEqual({ input: 2.5, held: false });
    expect(await viewer.catalog.held()).toEqual([]);
    await expect(admin.catalog.reject({ provider: 'vr', id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/no longer held/) });
    expect((await h.audit.list({ limit: 10, action: 'catalog.reject' })).items).toHaveLength(1);
  });

  it('an approval overtaken by an invalidation fails in words and publishes nothing; one of a replaced candidate too', async () => {
    const { h, admin, viewer } = await setup('vo');
    await refreshAt(h, 'vo', 1000);
    const first = (await viewer.catalog.held())[0]?.id ?? '';
    await h.invalidation.start({ providers: ['vo'], mode: 'soft', refresh: false, cascade: false }, token);
    await h.runner.drain();
    await expect(admin.catalog.approve({ provider: 'vo', id: first })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'An invalidation of vo ran after this candidate was fetched, so it was not published; refresh vo and review the new answer',
    });
    expect((await price(h, 'vo')).input).toBe(2.5);
    await h.cache.settled(); // the stale copy's one background refresh (held again) lands before the next job

    await refreshAt(h, 'vo', 0.001); // a newer candidate replaces the held one
    const second = (await viewer.catalog.held())[0];
    expect(second?.id).not.toBe(first);
    expect(second?.breaches[0]).toMatch(/÷1,000/);
    await expect(admin.catalog.approve({ provider: 'vo', id: first })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/no longer held/) });
    await expect(admin.catalog.approve({ provider: 'nope', id: first })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'Unknown provider: nope' });
  });

  it('a scheduled refresh holds like a manual one', async () => {
    const { h, viewer } = await setup('vs');
    source.set('vs', { models: models(1000) });
    const saved = await h.schedules.save({ providers: ['vs'], timing: { kind: 'interval', everySeconds: 1 }, enabled: true }, token);
    await until(async () => expect(await h.schedules.scheduler.tick()).toBe(1));
    await h.schedules.remove(saved.id);
    await h.runner.drain();
    const jobId = (await h.schedules.list())[0]?.lastRun?.jobId ?? (await h.invalidation.history({ limit: 1 })).items[0]?.id ?? '';
    const record = await h.invalidation.get(jobId);
    expect(record).toMatchObject({ actor: { kind: 'schedule' }, status: 'completed', result: { refresh: [{ provider: 'vs', status: 'held' }] } });
    expect(await viewer.catalog.held()).toMatchObject([{ provider: 'vs' }]);
    expect(await price(h, 'vs')).toEqual({ input: 2.5, held: true });
  });
});

describe('policy.get, policy.save', () => {
  it('a viewer reads the defaults; an admin saves a provider rule that lets ×1,000 through, audited; bad input and viewers are refused', async () => {
    const { h, admin, viewer } = await setup('vp');
    const policy = await viewer.policy.get();
    expect(policy.defaults).toMatchObject({ maxRemovedPercent: { limit: 20, action: 'hold' }, priceFactor: { limit: 10, action: 'hold' }, contextShrinkPercent: { limit: 50 }, minModels: { limit: 1 } });
    const next = { ...policy, providers: { vp: { priceFactor: { limit: 10_000, action: 'hold' as const } } } };
    await expect(viewer.policy.save(next)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(admin.policy.save({ ...next, defaults: { ...policy.defaults, priceFactor: { limit: 0, action: 'hold' } } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await admin.policy.save(next);
    expect((await viewer.policy.get()).providers).toEqual(next.providers);
    expect(await refreshAt(h, 'vp', 1000)).toMatchObject({ status: 'refreshed' });
    expect((await h.audit.list({ limit: 10, action: 'policy.save' })).items).toMatchObject([{ actorName: 'admin (bootstrap)', details: { providers: ['vp'] } }]);
  });
});
