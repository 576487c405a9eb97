import { parseSort, sortRows, type Sort } from '~/components/common/sort';
import { filterBySearch } from '~/components/common/use-search';

/** The providers page's view in its URL: the search box, the state filter and the sort. */
export const PROVIDER_PARAMS = ['q', 'state', 'sort'] as const;
export type ProviderParams = Record<(typeof PROVIDER_PARAMS)[number], string>;

export interface ProviderState {
  name: string;
  displayName: string;
  cached: boolean;
  stale: boolean;
  held?: boolean;
  keys: number;
  modelCount?: number | null;
  ttlMs: number | null;
  cachedAt: number | null;
}

/** The state filter's choices, in the words of the cache column. */
export const STATE_FILTERS = {
  cached: { label: 'Cached', test: (p: ProviderState) => p.cached && !p.stale },
  'not-cached': { label: 'Not cached', test: (p: ProviderState) => !p.cached },
  stale: { label: 'Stale', test: (p: ProviderState) => p.stale },
  held: { label: 'Held for review', test: (p: ProviderState) => Boolean(p.held) },
} as const;
export type StateFilter = keyof typeof STATE_FILTERS;

export const PROVIDER_SORTS = ['name', 'keys', 'models', 'ttl', 'cached'] as const;
export type ProviderSortKey = (typeof PROVIDER_SORTS)[number];
export const BY_NAME: Sort<ProviderSortKey> = { key: 'name', dir: 'asc' };

const VALUE: Record<ProviderSortKey, (p: ProviderState) => string | number | null> = {
  name: (p) => p.displayName,
  keys: (p) => p.keys,
  models: (p) => p.modelCount ?? null,
  ttl: (p) => p.ttlMs,
  cached: (p) => p.cachedAt,
};

const searched = (p: ProviderState) => [p.name, p.displayName];

/** The rows the page shows: searched (id, display name), filtered by state, sorted; the server's order when sorted by name ascending. */
export function visibleProviders<P extends ProviderState>(providers: P[], params: ProviderParams): P[] {
  const found = filterBySearch(providers, params.q, searched);
  const filter = params.state in STATE_FILTERS ? STATE_FILTERS[params.state as StateFilter] : null;
  const kept = filter ? found.filter((p) => filter.test(p)) : found;
  const sort = providerSort(params);
  return sort === BY_NAME ? kept : sortRows(kept, VALUE[sort.key], sort.dir);
}

export const providerSort = (p: ProviderParams) => parseSort(p.sort, PROVIDER_SORTS, BY_NAME);
