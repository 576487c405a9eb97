/** The dialog's sentence: what will be deleted, counted by the server's planner, never recounted here. */
import { describe, expect, it } from 'vitest';
import { describeInvalidation, dialogTitle, keyFate, type InvalidateChoice } from '~/components/providers/invalidation-summary';

const models: InvalidateChoice = { mode: 'delete', cacheType: 'models', cascade: true, refresh: false };
const planned = (keysPlanned: number, globals: number) => ({ keysPlanned, globalKeys: Array.from({ length: globals }, (_, i) => `g${i}`) });

describe('describeInvalidation', () => {
  it('states the preview\'s counts: the providers\' keys and the planned total', () => {
    expect(describeInvalidation(models, 'all', 22, planned(23, 1))).toBe(
      'This deletes the models cache of all 22 providers (22 keys) and the full catalog: up to 23 keys. Gateways rebuild them from the sources on their next read.',
    );
    // Whatever the planner says, not a formula of its own (a formula would say 2 and 1 here).
    expect(describeInvalidation({ ...models, cacheType: 'all' }, ['groq'], 22, planned(7, 3))).toBe(
      'This deletes the models and pricing caches of groq (4 keys), the full catalog, the provider list and the global pricing table (rebuilt right after): up to 7 keys. Gateways rebuild them from the sources on their next read.',
    );
    expect(describeInvalidation({ ...models, cascade: false }, ['groq'], 22, planned(1, 0))).toContain('the models cache of groq (1 key): up to 1 key.');
  });

  it('names the caches without numbers until the preview answers', () => {
    expect(describeInvalidation(models, ['mistral', 'xai'], 22, null)).toBe(
      'This deletes the models cache of 2 providers and the full catalog. Gateways rebuild them from the sources on their next read.',
    );
  });

  it('soft mode marks instead of deleting', () => {
    expect(describeInvalidation({ ...models, mode: 'soft', refresh: true }, ['groq'], 22, planned(2, 1))).toMatch(/^This marks the models cache of groq stale and drops the full catalog\./);
  });
});

describe('dialogTitle', () => {
  const names: Record<string, string> = { groq: 'Groq', mistral: 'Mistral AI', xai: 'xAI', openai: 'OpenAI', anthropic: 'Anthropic' };
  const displayName = (slug: string) => names[slug] ?? slug;

  it('names one provider and lists several by display name, says all', () => {
    expect([dialogTitle(['groq'], displayName), dialogTitle(['mistral', 'xai'], displayName), dialogTitle('all', displayName)]).toEqual([
      'Invalidate Groq',
      'Invalidate 2 providers: Mistral AI and xAI',
      'Invalidate all providers',
    ]);
    expect(dialogTitle(['groq', 'xai', 'openai'], displayName)).toBe('Invalidate 3 providers: Groq, xAI and OpenAI');
  });

  it('counts the rest past four, and keeps a slug that has no display name', () => {
    expect(dialogTitle(['groq', 'xai', 'openai', 'anthropic', 'mistral'], displayName)).toBe('Invalidate 5 providers: Groq, xAI, OpenAI and 2 more');
    expect(dialogTitle(['newcomer'], displayName)).toBe('Invalidate newcomer');
  });
});

describe('keyFate', () => {
  it('says one thing per key: never "(not cached) (marked stale)"', () => {
    expect(keyFate({ exists: true, action: 'delete' })).toBe('');
    expect(keyFate({ exists: false, action: 'delete' })).toBe('(not cached: nothing to delete)');
    expect(keyFate({ exists: true, action: 'mark-stale' })).toBe('(to mark stale: still served until rebuilt)');
    expect(keyFate({ exists: false, action: 'mark-stale' })).toBe('(not cached: nothing to mark)');
  });
});
