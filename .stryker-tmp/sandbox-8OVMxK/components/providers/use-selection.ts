// @ts-nocheck
'use client';

import { useCallback, useState } from 'react';

/** Which providers are ticked; names that disappear from the list simply stop counting. */
export function useSelection() {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback((name: string, on: boolean) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });
  }, []);
  const setMany = useCallback((names: string[], on: boolean) => {
    setSelected((prev) => {
      const next = new Set(prev);
      for (const name of names) {
        if (on) next.add(name);
        else next.delete(name);
      }
      return next;
    });
  }, []);
  const clear = useCallback(() => setSelected(new Set()), []);
  return { selected, toggle, setMany, clear };
}
