/** Sortable columns: the URL value, the header click and the order applied. */
import { describe, expect, it } from 'vitest';
import { formatSort, nextSort, parseSort, sortRows } from '~/components/common/sort';

const KEYS = ['name', 'keys'] as const;
const byName = { key: 'name', dir: 'asc' } as const;

describe('parseSort / formatSort', () => {
  it('reads "key" as ascending and "-key" as descending, and writes them back', () => {
    expect(parseSort('keys', KEYS, byName)).toEqual({ key: 'keys', dir: 'asc' });
    expect(parseSort('-keys', KEYS, byName)).toEqual({ key: 'keys', dir: 'desc' });
    expect(formatSort({ key: 'keys', dir: 'desc' }, byName)).toBe('-keys');
    expect(formatSort({ key: 'keys', dir: 'asc' }, byName)).toBe('keys');
  });

  it('falls back for an unknown or empty value, and writes the default as ""', () => {
    expect(parseSort('-bogus', KEYS, byName)).toBe(byName);
    expect(parseSort('', KEYS, byName)).toBe(byName);
    expect(formatSort(byName, byName)).toBe('');
    expect(formatSort({ key: 'name', dir: 'desc' }, byName)).toBe('-name');
  });
});

describe('nextSort', () => {
  it('flips the sorted column, starts another at its first direction', () => {
    expect(nextSort(byName, 'name')).toEqual({ key: 'name', dir: 'desc' });
    expect(nextSort({ key: 'name', dir: 'desc' }, 'name')).toEqual({ key: 'name', dir: 'asc' });
    expect(nextSort(byName, 'keys', 'desc')).toEqual({ key: 'keys', dir: 'desc' });
    expect(nextSort(byName, 'keys')).toEqual({ key: 'keys', dir: 'asc' });
  });
});

describe('sortRows', () => {
  const rows = [
    { name: 'openai', keys: 2 },
    { name: 'Groq', keys: null },
    { name: 'xai', keys: 10 },
    { name: 'anthropic', keys: 2 },
    { name: 'cohere', keys: null },
  ];
  const names = (sorted: typeof rows) => sorted.map((r) => r.name);

  it('orders numbers numerically, either way, with empty values last and ties in their order', () => {
    expect(names(sortRows(rows, (r) => r.keys, 'asc'))).toEqual(['openai', 'anthropic', 'xai', 'Groq', 'cohere']);
    expect(names(sortRows(rows, (r) => r.keys, 'desc'))).toEqual(['xai', 'openai', 'anthropic', 'Groq', 'cohere']);
  });

  it('orders words ignoring case, digits by value, and leaves the input alone', () => {
    expect(names(sortRows(rows, (r) => r.name, 'asc'))).toEqual(['anthropic', 'cohere', 'Groq', 'openai', 'xai']);
    expect(names(sortRows(rows, (r) => r.name, 'desc'))).toEqual(['xai', 'openai', 'Groq', 'cohere', 'anthropic']);
    expect(sortRows([{ n: 'model-10' }, { n: 'model-9' }], (r) => r.n, 'asc').map((r) => r.n)).toEqual(['model-9', 'model-10']);
    expect(rows[0]?.name).toBe('openai');
  });
});
