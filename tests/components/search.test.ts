/** The one search filter of the providers and catalog pages. */
import { describe, expect, it } from 'vitest';
import { filterBySearch } from '~/components/common/use-search';

const providers = [
  { name: 'groq', displayName: 'Groq' },
  { name: 'openai', displayName: 'OpenAI' },
  { name: 'xai', displayName: 'xAI (Grok)' },
];
const fields = (p: { name: string; displayName: string }) => [p.name, p.displayName];
const names = (search: string) => filterBySearch(providers, search, fields).map((p) => p.name);

describe('filterBySearch', () => {
  it('matches a substring of any field, ignoring case and surrounding spaces', () => {
    expect(names('gro')).toEqual(['groq', 'xai']); // xai by its display name
    expect(names('  OPENai ')).toEqual(['openai']);
    expect(names('zzz')).toEqual([]);
  });

  it('keeps the very same array for a blank search', () => {
    expect(filterBySearch(providers, '', fields)).toBe(providers);
    expect(filterBySearch(providers, '   ', fields)).toBe(providers);
  });
});
