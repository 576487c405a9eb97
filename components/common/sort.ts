/**
 * Sortable columns, kept in the URL as `sort=<key>` (ascending) or `sort=-<key>` (descending). Pure:
 * the pages read, toggle and apply a sort through these, and the tests pin them.
 */
export type SortDir = 'asc' | 'desc';
export interface Sort<K extends string> {
  key: K;
  dir: SortDir;
}

/** The sort a URL value names, or `fallback` when it names no known column. */
export function parseSort<K extends string>(value: string, keys: readonly K[], fallback: Sort<K>): Sort<K> {
  const dir: SortDir = value.startsWith('-') ? 'desc' : 'asc';
  const key = (dir === 'desc' ? value.slice(1) : value) as K;
  return keys.includes(key) ? { key, dir } : fallback;
}

/** The URL value of a sort; '' for the page's default, so the default view keeps a clean URL. */
export function formatSort<K extends string>(sort: Sort<K>, fallback: Sort<K>): string {
  if (sort.key === fallback.key && sort.dir === fallback.dir) return '';
  return sort.dir === 'desc' ? `-${sort.key}` : sort.key;
}

/** A click on a column's header: the same column flips its direction, another starts at `first`. */
export function nextSort<K extends string>(current: Sort<K>, key: K, first: SortDir = 'asc'): Sort<K> {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: first };
}

/**
 * `items` ordered by `value` in `dir`, stable (equal values keep their order), and rows without a
 * value (null) last whichever the direction. Strings compare as words ("groq" before "OpenAI").
 */
export function sortRows<T>(items: readonly T[], value: (item: T) => string | number | null, dir: SortDir): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return items
    .map((item, index) => ({ item, index, v: value(item) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.index - b.index : a.v === null ? 1 : -1;
      const order = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v), 'en', { sensitivity: 'base', numeric: true });
      return order === 0 ? a.index - b.index : sign * order;
    })
    .map((r) => r.item);
}
