/** The Catalog page's search finds models across providers, not only providers. */
import { describe, expect, it } from 'vitest';
import { searchCatalog } from '~/components/catalog/catalog-search';

const entries = [
  { provider: 'anthropic', displayName: 'Anthropic', models: [{ id: 'claude-3-5-sonnet', name: 'Claude 3.5 Sonnet' }, { id: 'claude-3-haiku', name: 'Claude 3 Haiku' }] },
  { provider: 'openrouter', displayName: 'OpenRouter', models: [{ id: 'anthropic/claude-3-opus', name: 'Opus' }, { id: 'openai/gpt-4o', name: 'GPT-4o' }] },
  { provider: 'groq', displayName: 'Groq', models: [{ id: 'llama-3.1-8b', name: 'Llama 3.1 8B (fast)' }] },
];
const shown = (search: string) => searchCatalog(entries, search).map((h) => [h.entry.provider, h.models.map((m) => m.id), h.modelMatch]);

describe('searchCatalog', () => {
  it('finds models by id across providers, listing only the matching ones', () => {
    expect(shown('claude')).toEqual([
      ['anthropic', ['claude-3-5-sonnet', 'claude-3-haiku'], true],
      ['openrouter', ['anthropic/claude-3-opus'], true],
    ]);
  });

  it('finds models by name, ignoring case and surrounding spaces', () => {
    expect(shown('  FAST ')).toEqual([['groq', ['llama-3.1-8b'], true]]);
    expect(shown('gpt-4O')).toEqual([['openrouter', ['openai/gpt-4o'], true]]);
  });

  it('keeps every model of a provider that matches by id or display name', () => {
    expect(shown('anthropic')).toEqual([
      ['anthropic', ['claude-3-5-sonnet', 'claude-3-haiku'], false],
      ['openrouter', ['anthropic/claude-3-opus'], true],
    ]);
    expect(shown('OpenRouter')).toEqual([['openrouter', ['anthropic/claude-3-opus', 'openai/gpt-4o'], false]]);
  });

  it('shows everything for a blank search and nothing for a miss', () => {
    expect(shown(' ')).toEqual(entries.map((e) => [e.provider, e.models.map((m) => m.id), false]));
    expect(shown('zzz')).toEqual([]);
  });
});
