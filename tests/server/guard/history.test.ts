/**
 * The catalog's own history (server/catalog/history/), against real Redis and a loopback source
 * that changes its answers: every published change appears once (a job's refresh, a reader's
 * rebuild, an approval), nothing for an unchanged answer, a held one or the first baseline; the
 * provider and kind filters and the cursor pages of `catalog.changes`; trimming by age on the
 * app's clock (pinned, no sleeps).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceModel } from '~/scripts/lib/model-source';
import { decodeChanges, decodeEntry, encodeChanges } from '~/server/catalog/history/log';
import { kindOf } from '~/server/catalog/history/changes';
import type { CatalogChange, ModelChange } from '~/server/catalog/history/schema';
import { createRegistry } from '~/server/catalog/sources/registry';
import { openAiCompatibleSource } from '~/server/catalog/sources/sources';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin, viewerAccount } from '../../support/principals';
import { closeAll, harness } from '../../support/redis';
import { modelSourceForFile } from '../../support/model-source';

const source = modelSourceForFile();
afterAll(closeAll);

const token = { kind: 'token' as const, label: 't' };
/** `count` models at 2.50 / 10.00 $/MTok × `factor` (OpenRouter-style per-token prices). */
const models = (factor = 1, count = 10): SourceModel[] =>
  Array.from({ length: count }, (_, i) => ({ id: `model-${i}`, context_length: 128_000, pricing: { prompt: String(0.0000025 * factor), completion: String(0.00001 * factor) } }));

async function setup(providers: string[], extra: Parameters<typeof harness>[0] = {}) {
  const registry = createRegistry(providers.map((provider) => openAiCompatibleSource({ provider, url: source.url(provider) })));
  const h = harness({ registry, ...extra, env: { CATALOG_GUARD: 'on', ...extra.env } });
  for (const p of providers) source.set(p, { models: models() });
  await h.cache.seed(providers);
  return { h, admin: createCaller({ services: h, actor: bootstrapAdmin }), viewer: createCaller({ services: h, actor: viewerAccount }) };
}

type H = ReturnType<typeof harness>;

/** A soft refresh job of `provider`; its id and its outcome for it. */
async function refresh(h: H, provider: string) {
  const { jobId } = await h.invalidation.start({ providers: [provider], mode: 'soft', refresh: true, cascade: false }, token);
  await h.runner.drain();
  return { jobId, outcome: (await h.invalidation.get(jobId)).result?.refresh?.[0] };
}

/** Every row of the history through the viewer's pages of `limit`. */
async function allPages(viewer: ReturnType<typeof createCaller>, query: { provider?: string; kind?: 'added' | 'removed' | 'price' | 'other' }, limit = 50) {
  const rows: CatalogChange[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await viewer.catalog.changes({ ...query, limit, ...(cursor ? { cursor } : {}) });
    rows.push(...page.items);
    if (!page.nextCursor) return rows;
    cursor = page.nextCursor;
  }
  throw new Error('the pages never ended');
}

describe("the catalog's history", () => {
  it('records every published change once: a refresh, a reader’s rebuild, an approval; nothing for the seed, an unchanged answer or a hold', async () => {
    const { h, admin, viewer } = await setup(['ha']);
    expect((await viewer.catalog.changes({})).items).toEqual([]); // the seed is the baseline

    source.set('ha', { models: models(2) });
    const first = await refresh(h, 'ha');
    expect(first.outcome).toMatchObject({ status: 'refreshed' });
    let rows = await allPages(viewer, { provider: 'ha' });
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.kind === 'price' && r.via === 'refresh' && r.job === first.jobId && r.approvedBy === null)).toBe(true);
    expect(new Set(rows.map((r) => r.publication)).size).toBe(1);
    expect(rows.find((r) => r.model === 'model-0')?.fields).toEqual([
      { field: 'input price', before: '2.50 $/MTok', after: '5.00 $/MTok' },
      { field: 'output price', before: '10.00 $/MTok', after: '20.00 $/MTok' },
    ]);

    // The same answer again: published, nothing changed, nothing recorded.
    expect((await refresh(h, 'ha')).outcome).toMatchObject({ status: 'unchanged' });
    expect(await allPages(viewer, { provider: 'ha' })).toHaveLength(10);

    // A reader's rebuild after a delete: one model more.
    await h.invalidation.start({ providers: ['ha'], mode: 'delete', refresh: false, cascade: false }, token);
    await h.runner.drain();
    source.set('ha', { models: [...models(2), { id: 'model-new', context_length: 8192, pricing: { prompt: '0.000001', completion: '0.000002' } }] });
    expect((await h.cache.getProvider('ha')).cache).toBe('MISS');
    rows = await allPages(viewer, { provider: 'ha' });
    expect(rows).toHaveLength(11);
    expect(rows[0]).toMatchObject({ model: 'model-new', kind: 'added', via: 'rebuild', job: null });
    expect(rows[0]?.fields).toContainEqual({ field: 'input price', before: '', after: '1.00 $/MTok' });

    // Held (×1,000): nothing recorded until an admin approves; then once, by whom, with the job that fetched it.
    source.set('ha', { models: [...models(2000), { id: 'model-new', context_length: 8192, pricing: { prompt: '0.000001', completion: '0.000002' } }] });
    const held = await refresh(h, 'ha');
    expect(held.outcome).toMatchObject({ status: 'held' });
    expect(await allPages(viewer, { provider: 'ha' })).toHaveLength(11);
    const [candidate] = await admin.catalog.held({ provider: 'ha' });
    await admin.catalog.approve({ provider: 'ha', id: candidate?.id ?? '' });
    rows = await allPages(viewer, { provider: 'ha' });
    expect(rows).toHaveLength(21);
    const approved = rows.filter((r) => r.via === 'approval');
    expect(approved).toHaveLength(10);
    expect(approved.every((r) => r.approvedBy === bootstrapAdmin.name && r.job === held.jobId && r.publication === candidate?.id)).toBe(true);
    expect(approved.find((r) => r.model === 'model-0')?.fields[0]).toEqual({ field: 'input price', before: '5.00 $/MTok', after: '5,000.00 $/MTok' });
    // Each (publication, model) once.
    expect(new Set(rows.map((r) => `${r.publication}/${r.model}`)).size).toBe(rows.length);
    await h.shutdown(0);
  });

  it('two rebuilds racing at one generation: the second publishes, but does not record the first one’s change again', async () => {
    const { h, viewer } = await setup(['he']);
    const [snapshot] = await h.cache.snapshot(['he']);
    const [claim] = await h.cache.claimRefresh(['he']);
    source.set('he', { models: models(2) });
    const first = await h.cache.loadFromSource('he');
    const second = await h.cache.loadFromSource('he');
    // Both judged against the same basis (what each read before the other wrote).
    expect(await h.cache.publish(first, claim?.gen ?? '0', '', snapshot?.basis ?? null)).toMatchObject({ kind: 'stored' });
    expect(await h.cache.publish({ ...second, cachedAt: first.cachedAt + 1 }, claim?.gen ?? '0', '', snapshot?.basis ?? null)).toMatchObject({ kind: 'stored' });
    expect(await allPages(viewer, { provider: 'he' })).toHaveLength(10);
    await h.shutdown(0);
  });

  it('filters by provider and kind, and its cursor pages list every row once, newest first', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const { h, viewer } = await setup(['hb', 'hc'], { now: () => clock });
    // hb: 2 removed (of 10: inside the 20 % limit) and 8 priced ×2; hc: a model renamed (other) and one added.
    source.set('hb', { models: models(2, 8) });
    await refresh(h, 'hb');
    clock += 1000;
    source.set('hc', { models: [...models(1).map((m, i) => (i === 3 ? { ...m, name: 'Renamed' } : m)), { id: 'model-10', context_length: 1000, pricing: { prompt: '0.000001', completion: '0.000001' } }] });
    await refresh(h, 'hc');

    const all = await allPages(viewer, {});
    expect(all).toHaveLength(12);
    expect(all.map((r) => r.at)).toEqual([...all.map((r) => r.at)].sort((a, b) => b - a));
    expect(all[0]?.provider).toBe('hc'); // the newer publication first
    expect((await allPages(viewer, { provider: 'hb' })).map((r) => r.kind).sort()).toEqual([...Array(8).fill('price'), 'removed', 'removed']);
    expect((await allPages(viewer, { kind: 'removed' })).map((r) => `${r.provider}/${r.model}`).sort()).toEqual(['hb/model-8', 'hb/model-9']);
    expect((await allPages(viewer, { kind: 'other' })).map((r) => [r.provider, r.model, r.fields])).toEqual([['hc', 'model-3', [{ field: 'name', before: 'model-3', after: 'Renamed' }]]]);
    expect((await allPages(viewer, { kind: 'added', provider: 'hc' })).map((r) => r.model)).toEqual(['model-10']);
    expect(await allPages(viewer, { kind: 'added', provider: 'hb' })).toEqual([]);

    // Pages of 5 and of 1: the same rows, in the same order, none twice.
    for (const limit of [5, 1]) expect((await allPages(viewer, {}, limit)).map((r) => r.id)).toEqual(all.map((r) => r.id));

    await expect(viewer.catalog.changes({ cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/cursor/) });
    await expect(viewer.catalog.changes({ provider: 'nope' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'Unknown provider: nope' });
    await h.shutdown(0);
  });

  it('forgets changes past CATALOG_HISTORY_DAYS on the app’s clock: hidden at once, trimmed at the next publication', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const { h, viewer } = await setup(['hd'], { now: () => clock, env: { CATALOG_HISTORY_DAYS: '3' } });
    source.set('hd', { models: models(2) });
    await refresh(h, 'hd');
    expect(await allPages(viewer, {})).toHaveLength(10);
    const key = h.keys.catalog.providerChanges('hd', 'price');
    expect(await h.catalogRedis.pttl(key)).toBeGreaterThan(2 * 86_400_000);

    clock += 3 * 86_400_000 + 1;
    expect(await allPages(viewer, {})).toEqual([]); // past the retention: never shown
    expect(await h.catalogRedis.xlen(key)).toBe(10); // still stored until the provider's next publication

    source.set('hd', { models: models(3) });
    await refresh(h, 'hd');
    expect(await h.catalogRedis.xlen(key)).toBe(10); // the 10 new ones; the 10 old ones trimmed
    const rows = await allPages(viewer, {});
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.at === clock)).toBe(true);
    await h.shutdown(0);
  });
});

describe("the history's codec", () => {
  const changes: ModelChange[] = [
    { id: 'a', kind: 'added', fields: [{ field: 'name', before: '', after: 'A' }] },
    { id: 'b', kind: 'changed', fields: [{ field: 'name', before: 'B', after: 'Bee' }, { field: 'input price', before: '1.00 $/MTok', after: '2.00 $/MTok' }] },
    { id: 'c', kind: 'changed', fields: [{ field: 'context length', before: '8,192', after: '4,096' }] },
    { id: 'd', kind: 'removed', fields: [{ field: 'name', before: 'D', after: '' }] },
  ];

  it('records the source’s changes, not the overrides’: an override is audited, never a row; a source change under one is', async () => {
    const { h, admin, viewer } = await setup(['hy']);
    await admin.catalog.saveOverride({ provider: 'hy', model: 'model-0', pricing: { inputPerMTok: 1, outputPerMTok: 1 } });
    expect((await viewer.catalog.changes({ provider: 'hy' })).items).toEqual([]);
    expect((await h.audit.list({ limit: 10, action: 'catalog.saveOverride' })).items).toHaveLength(1);

    // The source moves every price ×2: the rows compare source with source (model-0 included),
    // while readers keep the pinned price of model-0.
    source.set('hy', { models: models(2) });
    expect((await refresh(h, 'hy')).outcome).toMatchObject({ status: 'refreshed' });
    const rows = await allPages(viewer, { provider: 'hy' });
    expect(rows).toHaveLength(10);
    expect(rows.find((r) => r.model === 'model-0')?.fields).toEqual([
      { field: 'input price', before: '2.50 $/MTok', after: '5.00 $/MTok' },
      { field: 'output price', before: '10.00 $/MTok', after: '20.00 $/MTok' },
    ]);
    expect((await h.cache.getProvider('hy')).catalog.models.find((m) => m.id === 'model-0')?.pricing).toEqual({ inputPerMTok: 1, outputPerMTok: 1 });

    // Removing the override changes what readers get at once, not the source: no row; the same answer again: none either.
    await admin.catalog.removeOverride({ provider: 'hy', model: 'model-0' });
    expect((await h.cache.getProvider('hy')).catalog.models.find((m) => m.id === 'model-0')?.pricing).toEqual({ inputPerMTok: 5, outputPerMTok: 20 });
    expect((await refresh(h, 'hy')).outcome).toMatchObject({ status: 'unchanged' });
    expect(await allPages(viewer, { provider: 'hy' })).toHaveLength(10);
  });

  it('decodes what it encodes (what the scripts append and an approval hands back), and names each kind', () => {
    const json = encodeChanges(changes, { publication: 'p1', via: 'approval', job: 'j1', approvedBy: null });
    expect(decodeChanges(json)).toEqual({ changes, job: 'j1' });
    expect(changes.map(kindOf)).toEqual(['added', 'price', 'other', 'removed']);
    expect(decodeChanges(encodeChanges([], { publication: 'p2', via: 'rebuild', job: null, approvedBy: null }))).toEqual({ changes: [], job: null });
  });

  it('skips an entry it cannot read instead of failing the page', () => {
    expect(decodeEntry(['model', 'm', 'fields', 'not json', 'publication', 'p', 'via', 'refresh', 'job', '', 'by', ''])).toBeNull();
    expect(decodeEntry(['model', 'm', 'fields', '[]', 'publication', 'p', 'via', 'teleport', 'job', '', 'by', ''])).toBeNull();
    expect(decodeEntry(['model', 'm', 'fields', '[]', 'publication', 'p', 'via', 'refresh', 'job', '', 'by', 'ana'])).toEqual({ model: 'm', fields: [], publication: 'p', via: 'refresh', job: null, approvedBy: 'ana' });
  });
});
