/**
 * Refresh and verify against a loopback OpenAI-compatible source: what changed is reported per
 * provider, and an answer that errors, is slow, empty or malformed is never written.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceModel } from '~/scripts/lib/model-source';
import { createRegistry } from '~/server/catalog/sources/registry';
import { openAiCompatibleSource } from '~/server/catalog/sources/sources';
import { rejectReason } from '~/server/catalog/sources/verify';
import { diffModels } from '~/server/invalidation/refresh';
import type { ProviderRefresh } from '~/server/invalidation/refresh-schema';
import { closeAll, collectEvents, harness } from '../../support/redis';
import { until } from '../../support/until';
import { modelSourceForFile } from '../../support/model-source';

const source = modelSourceForFile();
afterAll(closeAll);

const actor = { kind: 'token' as const, label: 't' };
const model = (id: string, prompt = '0.000001'): SourceModel => ({ id, context_length: 8192, pricing: { prompt, completion: '0.000002' } });

/** A harness whose providers all come from the loopback source, each seeded with `initial`. */
async function setup(names: string[], initial: SourceModel[], refreshTimeoutMs = 5_000) {
  const registry = createRegistry(names.map((p) => openAiCompatibleSource({ provider: p, url: source.url(p) })));
  const h = harness({ registry, refreshTimeoutMs });
  for (const p of names) source.set(p, { models: initial });
  await h.cache.seed(names);
  return h;
}

async function refreshJob(h: Awaited<ReturnType<typeof setup>>, providers: string[]) {
  const { jobId } = await h.invalidation.start({ providers, cacheType: 'models', cascade: true, refresh: true }, actor);
  const events = (await collectEvents(h, jobId)).map((e) => e.event);
  const byProvider = (list: ProviderRefresh[] | undefined) => Object.fromEntries((list ?? []).map((r) => [r.provider, r]));
  const last = events.at(-1);
  return { events, result: last?.type === 'completed' ? byProvider(last.result.refresh) : {}, record: await h.invalidation.get(jobId) };
}

describe('diffModels and rejectReason (pure)', () => {
  const m = (id: string, contextLength = 8192) => ({ id, name: id, contextLength, pricing: null, modalities: ['text' as const] });
  it('lists added, removed and changed ids, sorted', () => {
    expect(diffModels([m('b'), m('a'), m('c')], [m('d'), m('a'), m('c', 4096)])).toEqual({ added: ['d'], removed: ['b'], changed: ['c'] });
    expect(diffModels(null, [m('a')])).toEqual({ added: ['a'], removed: [], changed: [] });
    const reordered = { modalities: ['text' as const], pricing: null, contextLength: 8192, name: 'a', id: 'a' };
    expect(diffModels([m('a')], [reordered]).changed).toEqual([]); // key order is not a change
  });
  it('refuses empty, malformed and duplicated lists', () => {
    expect(rejectReason({ provider: 'x', displayName: 'x', models: [] })).toMatch(/empty model list/);
    expect(rejectReason({ provider: 'x', models: 'nope' })).toMatch(/not a model list/);
    expect(rejectReason({ provider: 'x', displayName: 'x', models: [m('a'), m('a')] })).toMatch(/same model id twice/);
    expect(rejectReason({ provider: 'x', displayName: 'x', models: [m('a')] })).toBeNull();
  });
});

describe('a job with refresh', () => {
  it('reports added, removed, changed and unchanged providers, one progress event each, and writes the new catalogs', async () => {
    const h = await setup(['ra', 'rb', 'rc'], [model('m1'), model('m2')]);
    source.set('ra', { models: [model('m1'), model('m2'), model('m3')] }); // one added
    source.set('rb', { models: [model('m2', '0.000005')] }); // m1 removed, m2 repriced
    const { events, result, record } = await refreshJob(h, ['ra', 'rb', 'rc']);

    const refreshEvents = events.filter((e) => e.type === 'progress' && e.stage === 'refresh');
    expect(refreshEvents).toHaveLength(3);
    expect(refreshEvents.map((e) => (e.type === 'progress' ? e.providersDone : 0))).toEqual([1, 2, 3]);
    expect(result.ra).toMatchObject({ status: 'refreshed', added: ['m3'], removed: [], modelCount: 3 });
    expect(result.rb).toMatchObject({ status: 'refreshed', added: [], removed: ['m1'], changed: ['m2'], modelCount: 1 });
    expect(result.rc).toMatchObject({ status: 'unchanged', added: [], removed: [], changed: [], modelCount: 2 });
    expect(record).toMatchObject({ status: 'completed', result: { success: true, keysDeleted: 4 } });

    const [ra, rb] = await h.cache.peek(['ra', 'rb']);
    expect(ra?.models.map((x) => x.id)).toEqual(['m1', 'm2', 'm3']);
    expect(rb?.models.map((x) => x.id)).toEqual(['m2']);
  });

  it('fails a provider whose source errors, times out, answers an empty list or malformed JSON, and writes nothing for it', async () => {
    const h = await setup(['fa', 'fb', 'fc', 'fd', 'fe', 'ff'], [model('m1')], 400);
    source.set('fa', { status: 503 });
    source.set('fb', { delayMs: 2_000, models: [model('m1')] });
    source.set('fc', { body: JSON.stringify({ object: 'list', data: [] }) });
    source.set('fd', { body: '{"data": [' });
    source.set('fe', { body: JSON.stringify({ data: [{ name: 'no id' }] }) });
    source.set('ff', { delayMs: 100, models: [model('m1'), model('m9')] }); // slow but in time
    const { result, record } = await refreshJob(h, ['fa', 'fb', 'fc', 'fd', 'fe', 'ff']);

    expect(result.fa).toMatchObject({ status: 'failed', error: expect.stringMatching(/answered 503; nothing was written/) });
    expect(result.fb).toMatchObject({ status: 'failed', error: expect.stringMatching(/did not answer within 400 ms/) });
    expect(result.fc).toMatchObject({ status: 'failed', error: expect.stringMatching(/empty model list/) });
    expect(result.fd).toMatchObject({ status: 'failed', error: expect.stringMatching(/not JSON/) });
    expect(result.fe).toMatchObject({ status: 'failed', error: expect.stringMatching(/not a model list/) });
    expect(result.ff).toMatchObject({ status: 'refreshed', added: ['m9'] });
    expect(record.status).toBe('completed');
    // Delete mode: the admin's deletion stands; a bad answer never replaces it with anything.
    const cached = await h.cache.peek(['fa', 'fb', 'fc', 'fd', 'fe', 'ff']);
    expect(cached.map((c) => c?.models.length ?? null)).toEqual([null, null, null, null, null, 2]);
  });

  it('does not refresh by default in delete mode', async () => {
    const h = await setup(['na'], [model('m1')]);
    const hits = source.hits('na');
    const { jobId } = await h.invalidation.start({ providers: ['na'], cacheType: 'models', cascade: true }, actor);
    const events = await collectEvents(h, jobId);
    expect(events.map((e) => e.event.type)).toEqual(['queued', 'started', 'completed']);
    expect(events.at(-1)?.event).not.toHaveProperty('result.refresh');
    expect(source.hits('na')).toBe(hits);
  });
});

describe('a soft invalidation with refresh', () => {
  it('refreshes by default, and a failing source keeps the last good copy, served stale', async () => {
    const h = await setup(['sa', 'sb'], [model('m1'), model('m2')]);
    source.set('sa', { models: [model('m1'), model('m2'), model('m3')] });
    source.set('sb', { status: 500 });
    const { jobId } = await h.invalidation.start({ providers: ['sa', 'sb'], mode: 'soft' }, actor);
    const events = (await collectEvents(h, jobId)).map((e) => e.event);
    const last = events.at(-1);
    if (last?.type !== 'completed') throw new Error(`expected completed, got ${last?.type}`);
    expect(last.result.refresh).toEqual([
      expect.objectContaining({ provider: 'sa', status: 'refreshed', added: ['m3'], modelCount: 3 }),
      expect.objectContaining({ provider: 'sb', status: 'failed', modelCount: 2, error: expect.stringMatching(/answered 500; kept the last good copy \(2 models, cached /) }),
    ]);
    expect((await h.cache.getProvider('sa')).cache).toBe('HIT');
    const sb = await h.cache.getProvider('sb');
    expect(sb.cache).toBe('STALE');
    expect(sb.catalog.models.map((m) => m.id)).toEqual(['m1', 'm2']);
  });

  it('no reader sees an empty catalog or waits for the source while the refresh runs; the source is asked once', async () => {
    const h = await setup(['sc'], [model('m1'), model('m2')]);
    source.set('sc', { models: [model('m1'), model('m4')], hold: true });
    const hits = source.hits('sc');
    const { jobId } = await h.invalidation.start({ providers: ['sc'], mode: 'soft', refresh: true }, actor);
    await until(() => expect(source.held('sc')).toBe(1)); // the job's fetch is on the latch
    const reads = await Promise.all(Array.from({ length: 50 }, () => h.cache.getProvider('sc')));
    for (const read of reads) {
      expect(read.cache).toBe('STALE');
      expect(read.catalog.models.map((m) => m.id)).toEqual(['m1', 'm2']);
    }
    source.release('sc');
    await h.runner.drain();
    expect(source.hits('sc') - hits).toBe(1);
    expect((await h.invalidation.get(jobId)).result?.refresh).toEqual([expect.objectContaining({ status: 'refreshed', added: ['m4'], removed: ['m2'] })]);
    const after = await h.cache.getProvider('sc');
    expect(after.cache).toBe('HIT');
    expect(after.catalog.models.map((m) => m.id)).toEqual(['m1', 'm4']);
  });

  it('an invalidation that runs while the source answers wins: the refresh drops its answer and says so', async () => {
    const h = await setup(['sd'], [model('m1')]);
    source.set('sd', { models: [model('m1'), model('m5')], hold: true });
    const first = await h.invalidation.start({ providers: ['sd'], mode: 'soft' }, actor);
    await until(() => expect(source.held('sd')).toBe(1));
    const second = await h.invalidation.start({ providers: ['sd'], mode: 'delete', cascade: false }, actor);
    expect(second.coalesced).toBe(false);
    await until(async () => expect((await h.invalidation.get(second.jobId)).status).toBe('completed'));
    source.release('sd');
    await until(async () => expect((await h.invalidation.get(first.jobId)).status).toBe('completed'));
    expect((await h.invalidation.get(first.jobId)).result?.refresh).toEqual([
      expect.objectContaining({ status: 'failed', error: expect.stringMatching(/a newer invalidation started/) }),
    ]);
    expect(await h.cache.peek(['sd'])).toEqual([null]); // the delete stands
  });
});
