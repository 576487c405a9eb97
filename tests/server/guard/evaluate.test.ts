/**
 * The guard's rules, table-driven: each rule holds a candidate just past its limit and passes one
 * just inside it (limits are inclusive), and says why in words.
 */
import { describe, expect, it } from 'vitest';
import type { Model, ProviderCatalog } from '~/server/catalog/schema';
import { evaluate, holds, money, rulesFor } from '~/server/guard/evaluate';
import { DEFAULT_POLICY, policySchema, type GuardRules } from '~/server/guard/schema';

const model = (id: string, input: number | null = 2.5, output = 10, contextLength: number | null = 128_000): Model => ({
  id,
  name: id,
  contextLength,
  pricing: input === null ? null : { inputPerMTok: input, outputPerMTok: output },
  modalities: ['text'],
});
const catalog = (models: Model[]): ProviderCatalog => ({ provider: 'openai', displayName: 'OpenAI', models });
const ten = Array.from({ length: 10 }, (_, i) => model(`m${i}`));
const rules = DEFAULT_POLICY.defaults;

const cases: { rule: string; published: Model[] | null; breaks: Model[]; passes: Model[]; words: RegExp; rules?: GuardRules }[] = [
  {
    rule: 'maxRemovedPercent (20 %)',
    published: ten,
    breaks: ten.slice(0, 7), // 3 of 10 = 30 %
    passes: ten.slice(0, 8), // 2 of 10 = 20 %, at the limit
    words: /^3 of 10 models removed \(30 %, limit 20 %\)$/,
  },
  {
    rule: 'priceFactor up (×10)',
    published: [model('gpt-4o', 2.5)],
    breaks: [model('gpt-4o', 2500)],
    passes: [model('gpt-4o', 25)],
    words: /^gpt-4o input price 2\.50 → 2,500\.00 \$\/MTok, ×1,000 \(limit ×10\)$/,
  },
  {
    rule: 'priceFactor down (×10 either way)',
    published: [model('gpt-4o', 2.5)],
    breaks: [model('gpt-4o', 0.0025)],
    passes: [model('gpt-4o', 0.25)],
    words: /^gpt-4o input price 2\.50 → 0\.0025 \$\/MTok, ÷1,000 \(limit ×10\)$/,
  },
  {
    rule: 'priceLost (price gone)',
    published: [model('gpt-4o')],
    breaks: [model('gpt-4o', null)],
    passes: [model('gpt-4o', 2.4)],
    words: /^gpt-4o lost its price \(input 2\.50, output 10\.00 \$\/MTok before\)$/,
  },
  {
    rule: 'priceLost (price to 0)',
    published: [model('gpt-4o')],
    breaks: [model('gpt-4o', 0)],
    passes: [model('gpt-4o', 0.25)],
    words: /^gpt-4o input price 2\.50 → 0\.00 \$\/MTok \(a priced model going to 0\)$/,
  },
  {
    rule: 'contextShrinkPercent (50 %)',
    published: [model('gpt-4o', 2.5, 10, 128_000)],
    breaks: [model('gpt-4o', 2.5, 10, 63_999)],
    passes: [model('gpt-4o', 2.5, 10, 64_000)],
    words: /^gpt-4o context length 128,000 → 63,999 tokens, −50 % \(limit −50 %\)$/,
  },
  {
    rule: 'minModels (5, nothing published)',
    rules: { ...rules, minModels: { limit: 5, action: 'hold' } },
    published: null,
    breaks: ten.slice(0, 4),
    passes: ten.slice(0, 5),
    words: /^4 models, fewer than the minimum 5$/,
  },
];

describe('evaluate (pure)', () => {
  it.each(cases)('$rule: holds past the limit, passes at it', ({ published, breaks, passes, words, rules: own }) => {
    const r = own ?? rules;
    const base = published && catalog(published);
    const broken = evaluate(base, catalog(breaks), r);
    expect(broken.map((b) => b.message)).toEqual([expect.stringMatching(words)]);
    expect(holds(broken)).toBe(true);
    expect(evaluate(base, catalog(passes), r)).toEqual([]);
  });

  it('an unchanged catalog, an added model and an unpriced model staying unpriced break nothing', () => {
    expect(evaluate(catalog(ten), catalog([...ten, model('new')]), rules)).toEqual([]);
    expect(evaluate(catalog([model('free', null)]), catalog([model('free', null)]), rules)).toEqual([]);
  });

  it("an `alert` rule reports without holding, and a provider's own rule wins over the default", () => {
    const policy = policySchema.parse({ ...DEFAULT_POLICY, providers: { openai: { priceFactor: { limit: 10_000, action: 'hold' } }, groq: { priceFactor: { limit: 10, action: 'alert' } } } });
    const jump = [catalog([model('gpt-4o', 2.5)]), catalog([model('gpt-4o', 2500)])] as const;
    expect(evaluate(...jump, rulesFor(policy, 'openai'))).toEqual([]);
    const alerted = evaluate(...jump, rulesFor(policy, 'groq'));
    expect(alerted).toMatchObject([{ rule: 'priceFactor', action: 'alert', model: 'gpt-4o' }]);
    expect(holds(alerted)).toBe(false);
    expect(rulesFor(policy, 'xai')).toEqual(DEFAULT_POLICY.defaults);
  });

  it('says money the way the panel does', () => {
    expect([money(0), money(2.5), money(2500), money(0.0025)]).toEqual(['0.00', '2.50', '2,500.00', '0.0025']);
  });

  it('refuses a policy out of bounds, in words', () => {
    const bad = policySchema.safeParse({ ...DEFAULT_POLICY, defaults: { ...rules, priceFactor: { limit: 0.5, action: 'hold' } } });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toMatch(/a price factor is at least 1/);
    expect(policySchema.safeParse({ ...DEFAULT_POLICY, providers: { 'BAD*': {} } }).success).toBe(false);
  });
});
