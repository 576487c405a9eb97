import { formatBytes, plural } from '~/components/common/format';
import type { ProviderRowData } from './use-providers';

export interface CacheDescription {
  label: string;
  tone: 'ok' | 'neutral';
  /** Size and per-model keys of a gateway's own value, e.g. "3.4 KB · 120 per-model keys". */
  detail: string | null;
  /** What a value in a gateway's own format allows (delete only), in words. */
  note: string | null;
}

/** Only delete mode works on a value this app did not write; these need its models hash. */
export const NEEDS_OUR_FORMAT = 'Delete only: soft mode, refresh and the Catalog page need this app\'s format.';

/**
 * What the cache cell says of a provider. A gateway's own value (CATALOG_KEYS, `format: "theirs"`)
 * has no cached-at or model list this app can read: it shows as cached, with its size and its
 * per-model keys, and says which actions need this app's format.
 */
export function describeCache(p: Pick<ProviderRowData, 'cached' | 'keys' | 'keysTotal' | 'format' | 'sizeBytes' | 'modelKeys'>): CacheDescription {
  if (!p.cached) return { label: 'Not cached', tone: 'neutral', detail: null, note: null };
  const partial = p.keys < p.keysTotal;
  if (p.format !== 'theirs') return { label: partial ? 'Partly cached' : 'Cached', tone: 'ok', detail: null, note: null };
  const detail = [p.sizeBytes == null ? null : formatBytes(p.sizeBytes), p.modelKeys == null ? null : plural(p.modelKeys, 'per-model key')].filter(Boolean).join(' · ');
  return { label: partial ? 'Partly cached, gateway format' : 'Cached, gateway format', tone: 'ok', detail: detail || null, note: NEEDS_OUR_FORMAT };
}
