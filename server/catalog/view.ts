/** The catalog view: per provider, the models cached now with their age, TTL and source. Reads only. */
import 'server-only';
import type { CatalogCache } from './cache';
import { isUnpriced } from './derived-values';
import type { Model } from './schema';

export interface CatalogEntry {
  provider: string;
  displayName: string;
  /** Where it was fetched from ("bundled" or the URL) when cached, else where it would be. */
  source: string;
  cachedAt: number | null;
  /** Soft-invalidated: still served, flagged, until its rebuild or refresh lands. */
  stale: boolean;
  ttlMs: number | null;
  models: Model[];
  /** Ids of the cached models without a price or at $0 (derived-values.ts `isUnpriced`). */
  unpriced: string[];
}

/** Two round trips: the cache state of every provider, then the cached catalogs of the ones asked for. */
export async function catalogView(cache: Pick<CatalogCache, 'state' | 'peek'>, provider?: string): Promise<CatalogEntry[]> {
  const states = (await cache.state()).filter((s) => !provider || s.name === provider);
  const cached = await cache.peek(states.map((s) => s.name));
  return states.map((s, i) => {
    const copy = cached[i] ?? null;
    return {
      provider: s.name,
      displayName: s.displayName,
      source: copy?.source || s.source,
      cachedAt: copy?.cachedAt ?? null,
      stale: copy ? s.stale : false,
      ttlMs: copy ? s.ttlMs : null,
      models: copy?.models ?? [],
      unpriced: (copy?.models ?? []).filter(isUnpriced).map((m) => m.id),
    };
  });
}
