'use client';

import { useMemo, useState } from 'react';

/**
 * Case-insensitive substring match of the trimmed search over each item's fields. A blank search
 * returns `items` itself, so nothing downstream re-renders for it.
 */
export function filterBySearch<T>(items: T[], search: string, fields: (item: T) => readonly string[]): T[] {
  const needle = search.trim().toLowerCase();
  if (!needle) return items;
  return items.filter((item) => fields(item).some((field) => field.toLowerCase().includes(needle)));
}

/**
 * The search box of a list page: its text and the items it lets through. Pass `fields` from module
 * scope: a new function each render would recompute the filter every time.
 */
export function useSearch<T>(items: T[], fields: (item: T) => readonly string[]) {
  const [search, setSearch] = useState('');
  const visible = useMemo(() => filterBySearch(items, search, fields), [items, search, fields]);
  return { search, setSearch, visible };
}
