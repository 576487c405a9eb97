/** The providers page's search, state filter and sort, as the URL names them. */
import { describe, expect, it } from 'vitest';
import { visibleProviders, type ProviderParams } from '~/components/providers/provider-view-state';

const p = (name: string, over: Partial<{ cached: boolean; stale: boolean; held: boolean; keys: number; modelCount: number | null; ttlMs: number | null; cachedAt: number | null }> = {}) => ({
  name,
  displayName: name.toUpperCase(),
  cached: true,
  stale: false,
  held: false,
  keys: 2,
  modelCount: 3,
  ttlMs: 1000,
  cachedAt: 100,
  ...over,
});
const providers = [
  p('anthropic', { keys: 1, ttlMs: 500 }),
  p('groq', { cached: false, keys: 0, modelCount: null, ttlMs: null, cachedAt: null }),
  p('openai', { stale: true, keys: 5, cachedAt: 300 }),
  p('xai', { held: true, cachedAt: 200 }),
];
const none: ProviderParams = { q: '', state: '', sort: '' };
const names = (params: Partial<ProviderParams>) => visibleProviders(providers, { ...none, ...params }).map((x) => x.name);

describe('visibleProviders', () => {
  it('keeps the server order (by name) for a clean URL, and the same array', () => {
    expect(visibleProviders(providers, none)).toBe(providers);
  });

  it('filters by state: cached (fresh), not cached, stale, held', () => {
    expect(names({ state: 'cached' })).toEqual(['anthropic', 'xai']);
    expect(names({ state: 'not-cached' })).toEqual(['groq']);
    expect(names({ state: 'stale' })).toEqual(['openai']);
    expect(names({ state: 'held' })).toEqual(['xai']);
    expect(names({ state: 'bogus' })).toEqual(['anthropic', 'groq', 'openai', 'xai']);
  });

  it('sorts by a column either way, providers without a value last', () => {
    expect(names({ sort: '-keys' })).toEqual(['openai', 'xai', 'anthropic', 'groq']);
    expect(names({ sort: 'ttl' })).toEqual(['anthropic', 'openai', 'xai', 'groq']);
    expect(names({ sort: '-cached' })).toEqual(['openai', 'xai', 'anthropic', 'groq']);
    expect(names({ sort: '-name' })).toEqual(['xai', 'openai', 'groq', 'anthropic']);
  });

  it('combines the search, the filter and the sort', () => {
    expect(names({ q: 'a', state: 'cached', sort: '-cached' })).toEqual(['xai', 'anthropic']);
  });
});
