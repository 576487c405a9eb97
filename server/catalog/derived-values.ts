/** What the cache derives from provider catalogs: a provider's pricing table and the provider list. */
import 'server-only';
import type { CachedProviderCatalog, PricingTable, ProviderCatalog } from './schema';

export function pricingOf(catalog: ProviderCatalog): PricingTable[string] {
  const table: PricingTable[string] = {};
  for (const m of catalog.models) if (m.pricing) table[m.id] = m.pricing;
  return table;
}

export function providerListOf(providers: CachedProviderCatalog[]) {
  return providers.map((p) => ({ name: p.provider, displayName: p.displayName, modelCount: p.models.length }));
}
