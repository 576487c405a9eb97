'use client';

import { useEffect, useMemo, useState } from 'react';

/** Where this browser keeps the ids of the added models it has shown (newest last, bounded). */
export const SEEN_KEY = 'catalog-changes-seen';
const MAX_SEEN = 2000;

function readSeen(): string[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(SEEN_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * "New until seen", per browser (localStorage, no server state): an added model's row is new when
 * this browser had not shown it before this visit of the page, and stays marked for the rest of
 * the visit; the next visit shows it plain. What was seen is read once per visit (the page's rows
 * load after hydration, so the server's render marks nothing either way).
 */
export function useNewMarks(addedIds: readonly string[]): ReadonlySet<string> | null {
  const [seenBefore] = useState(() => (typeof window === 'undefined' ? null : new Set(readSeen())));
  useEffect(() => {
    if (!addedIds.length) return;
    const seen = readSeen();
    const known = new Set(seen);
    const fresh = addedIds.filter((id) => !known.has(id));
    if (!fresh.length) return;
    try {
      window.localStorage.setItem(SEEN_KEY, JSON.stringify([...seen, ...fresh].slice(-MAX_SEEN)));
    } catch {
      // Storage full or refused (private mode): the marks just come back next visit.
    }
  }, [addedIds]);
  return useMemo(() => (seenBefore ? new Set(addedIds.filter((id) => !seenBefore.has(id))) : null), [seenBefore, addedIds]);
}
