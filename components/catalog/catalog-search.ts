/**
 * The Catalog page's search: over providers (id, display name) and their models (id, name). A
 * provider that matches keeps every model; otherwise it stays when some of its models match, with
 * only those listed (and `modelMatch` set, so the page opens the list).
 */
export interface Searchable {
  provider: string;
  displayName: string;
  models: readonly { id: string; name: string }[];
}

export interface CatalogHit<E extends Searchable> {
  entry: E;
  models: E['models'];
  /** True when the provider is shown for its models only. */
  modelMatch: boolean;
}

export function searchCatalog<E extends Searchable>(entries: readonly E[], search: string): CatalogHit<E>[] {
  const needle = search.trim().toLowerCase();
  const has = (text: string) => text.toLowerCase().includes(needle);
  const hits: CatalogHit<E>[] = [];
  for (const entry of entries) {
    if (!needle || has(entry.provider) || has(entry.displayName)) {
      hits.push({ entry, models: entry.models, modelMatch: false });
      continue;
    }
    const models = entry.models.filter((m) => has(m.id) || has(m.name));
    if (models.length) hits.push({ entry, models, modelMatch: true });
  }
  return hits;
}
