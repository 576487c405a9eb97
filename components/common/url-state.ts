'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useState } from 'react';

/** Reads the named search params, '' when absent: what a page's filters, search and sort show. */
export function readParams<K extends string>(params: URLSearchParams | { get(name: string): string | null }, names: readonly K[]): Record<K, string> {
  return Object.fromEntries(names.map((n) => [n, params.get(n) ?? ''])) as Record<K, string>;
}

/** The query string for `values` over `current`: empty values are dropped, so a default view has a clean URL. */
export function writeParams(current: string, values: Record<string, string>): string {
  const next = new URLSearchParams(current);
  for (const [name, value] of Object.entries(values)) {
    if (value) next.set(name, value);
    else next.delete(name);
  }
  const query = next.toString();
  return query ? `?${query}` : '';
}

/**
 * A page's view state kept in the URL's search params (search box, filters, sort), so a link
 * reproduces the view. Read once from the URL, then held in React state (a keystroke re-renders at
 * once) and mirrored into the URL with `history.replaceState`: no navigation, no server round trip,
 * and Back is not flooded with one entry per keystroke.
 */
export function useUrlState<K extends string>(names: readonly K[]): [Record<K, string>, (values: Partial<Record<K, string>>) => void] {
  const params = useSearchParams();
  const [values, setValues] = useState(() => readParams(params, names));
  const set = useCallback((changed: Partial<Record<K, string>>) => {
    setValues((old) => ({ ...old, ...changed }));
    const { pathname, search } = window.location;
    window.history.replaceState(window.history.state, '', `${pathname}${writeParams(search, changed as Record<string, string>)}`);
  }, []);
  return [values, set];
}
