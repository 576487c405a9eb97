/** What the cache derives from provider catalogs: a provider's pricing table and the provider list. */
import 'server-only';
import type { CachedProviderCatalog, Model, PricingTable, ProviderCatalog } from './schema';

/**
 * A model a budget cannot see: no price at all, or $0 both ways. Either lets spend through (an
 * unpriced model is recorded at $0: Helicone #5804, Onyx #14478, LiteLLM #27463), so both count;
 * a model that is really free shows up here too, on purpose (a person says so, once).
 */
export const isUnpriced = (m: Model) => !m.pricing || (m.pricing.inputPerMTok === 0 && m.pricing.outputPerMTok === 0);

export const unpricedCount = (models: readonly Model[]) => models.filter(isUnpriced).length;

export function pricingOf(catalog: ProviderCatalog): PricingTable[string] {
  const table: PricingTable[string] = {};
  for (const m of catalog.models) if (m.pricing) table[m.id] = m.pricing;
  return table;
}

export function providerListOf(providers: CachedProviderCatalog[]) {
  return providers.map((p) => ({ name: p.provider, displayName: p.displayName, modelCount: p.models.length }));
}
