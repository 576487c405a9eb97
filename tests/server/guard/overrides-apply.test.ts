/**
 * The pure parts of the overrides: the overlay (each field alone, hidden, a model the source does
 * not list), the stored codec (what does not parse is skipped), and the plan of `cli policy apply`
 * (who and when are not a change).
 */
import { describe, expect, it } from 'vitest';
import type { Model, ProviderCatalog } from '~/server/catalog/schema';
import { applyOverrides, overrideCodec, type ModelOverride } from '~/server/guard/overrides-schema';
import { DEFAULT_POLICY } from '~/server/guard/schema';
import { planApply } from '~/scripts/cli/policy';

const model = (id: string, pricing: Model['pricing'] = { inputPerMTok: 1, outputPerMTok: 2 }): Model => ({ id, name: id.toUpperCase(), contextLength: 1000, pricing, modalities: ['text'] });
const catalog: ProviderCatalog = { provider: 'p', displayName: 'P', models: [model('a'), model('b', null), model('c')] };
const pin = (model: string, o: Partial<ModelOverride>): ModelOverride => ({ provider: 'p', model, updatedAt: 1, updatedBy: 'ana', ...o });
const index = (...os: ModelOverride[]) => new Map(os.map((o) => [o.model, o]));

describe('applyOverrides', () => {
  it('returns the catalog itself when nothing applies', () => {
    expect(applyOverrides(catalog, undefined)).toBe(catalog);
    expect(applyOverrides(catalog, new Map())).toBe(catalog);
  });

  it('pins each field alone and leaves the rest of the model and the other models as the source answered', () => {
    const served = applyOverrides(catalog, index(pin('a', { contextLength: 5 }), pin('b', { pricing: { inputPerMTok: 0, outputPerMTok: 3 } }), pin('c', { name: 'Sea' })));
    expect(served.models).toEqual([
      { ...model('a'), contextLength: 5 },
      { ...model('b', null), pricing: { inputPerMTok: 0, outputPerMTok: 3 } },
      { ...model('c'), name: 'Sea' },
    ]);
    expect(catalog.models[0]?.contextLength).toBe(1000); // the source's catalog is not changed
  });

  it('hidden leaves the model out; an override of a model the source does not list adds nothing', () => {
    const served = applyOverrides(catalog, index(pin('b', { hidden: true, name: 'ignored' }), pin('zz', { name: 'Ghost' })));
    expect(served.models.map((m) => m.id)).toEqual(['a', 'c']);
    expect(served).toMatchObject({ provider: 'p', displayName: 'P' });
  });
});

describe('overrideCodec', () => {
  it('round-trips an override and decodes what does not parse as null', () => {
    const o = pin('vendor/model:free', { pricing: { inputPerMTok: 1.5, outputPerMTok: 2 }, hidden: true });
    expect(overrideCodec.field('p', 'vendor/model:free')).toBe('p/vendor/model:free');
    expect(overrideCodec.decode(overrideCodec.encode(o))).toEqual(o);
    expect(overrideCodec.decode('{not json')).toBeNull();
    expect(overrideCodec.decode(JSON.stringify({ ...o, pricing: { inputPerMTok: -1, outputPerMTok: 2 } }))).toBeNull();
    expect(overrideCodec.decode(JSON.stringify({ ...o, extra: 1 }))).toBeNull();
  });
});

describe('planApply', () => {
  it('sees no change when only who and when differ, and one line per change otherwise', () => {
    const current = { policy: DEFAULT_POLICY, overrides: [pin('a', { name: 'A' })] };
    expect(planApply(current, { policy: DEFAULT_POLICY, overrides: [{ provider: 'p', model: 'a', name: 'A' }] })).toEqual({ lines: [], policyChanged: false, save: [], remove: [] });
    const plan = planApply(current, { policy: { ...DEFAULT_POLICY, providers: { p: { priceLost: { action: 'alert' } } } }, overrides: [{ provider: 'p', model: 'a', name: 'A', hidden: true }] });
    expect(plan).toEqual({
      lines: ['policy providers.p.priceLost.action: add "alert"', 'override p/a: change (name “A” → name “A”, hidden)'],
      policyChanged: true,
      save: [{ provider: 'p', model: 'a', name: 'A', hidden: true }],
      remove: [],
    });
  });
});
