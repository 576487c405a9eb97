/** The catalog guard's rules in the words the Policy page shows, and its form's copy of the policy. */
import { describe, expect, it } from 'vitest';
import { fromDraft, ruleWords, toDraft } from '~/components/guard/policy-words';
import { DEFAULT_POLICY, type GuardPolicy } from '~/server/guard/schema';

describe('policy words', () => {
  it('says each rule\'s threshold', () => {
    expect(ruleWords('maxRemovedPercent', 20)).toBe('at most 20 % of models removed');
    expect(ruleWords('priceFactor', 10)).toBe('a price moving more than ×10 either way');
    expect(ruleWords('priceLost', undefined)).toBe('a priced model losing its price or going to 0');
    expect(ruleWords('contextShrinkPercent', 50)).toBe('context length shrinking by more than 50 %');
    expect(ruleWords('minModels', 1)).toBe('fewer than 1 model');
    expect(ruleWords('minModels', 3)).toBe('fewer than 3 models');
  });

  it('round-trips a policy through the form, overrides and all', () => {
    const policy: GuardPolicy = {
      defaults: { ...DEFAULT_POLICY.defaults, priceFactor: { limit: 5, action: 'alert' } },
      providers: { groq: { minModels: { limit: 4, action: 'hold' }, priceLost: { action: 'alert' } }, xai: {} },
    };
    const draft = toDraft(policy);
    expect(draft.defaults.priceFactor).toEqual({ limit: '5', action: 'alert' });
    expect(draft.providers.groq).toEqual({ minModels: { limit: '4', action: 'hold' }, priceLost: { limit: '', action: 'alert' } });
    expect(fromDraft(draft)).toEqual({ policy });
  });

  it('names the first limit that is not a number, and sends nothing', () => {
    const draft = toDraft({ defaults: DEFAULT_POLICY.defaults, providers: { groq: { contextShrinkPercent: { limit: 50, action: 'hold' } } } });
    draft.providers.groq = { contextShrinkPercent: { limit: 'abc', action: 'hold' } };
    expect(fromDraft(draft)).toEqual({ error: 'Context shrink (groq) needs a number' });
    draft.defaults.priceFactor.limit = ' ';
    expect(fromDraft(draft)).toEqual({ error: 'Price factor (global defaults) needs a number' });
  });
});
