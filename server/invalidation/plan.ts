/**
 * Turns a request into the exact keys to delete, grouped in batches of one round trip each.
 * Only keys built by keys.ts are ever planned, so nothing outside the catalog namespace (not even a
 * key that merely looks alike) can be reached.
 */
import type { ProviderRegistry } from '~/server/catalog/registry';
import type { CatalogKeys } from '~/server/redis/keys';
import { unknownProviders } from './errors';
import type { InvalidationRequest } from './schema';

export interface Batch {
  providers: string[];
  /** UNLINK arguments, one command per provider (so per-provider errors stay attributable). */
  commands: { provider: string | null; keys: string[] }[];
}

export interface InvalidationPlan {
  providers: string[];
  batches: Batch[];
  keysPlanned: number;
  rebuildPricing: boolean;
}

/** Resolves "all", rejects unknown names (all of them named), dedupes. Throws before anything is written. */
export function resolveProviders(request: InvalidationRequest, registry: ProviderRegistry): string[] {
  if (request.providers === 'all') return [...registry.names()];
  const unique = [...new Set(request.providers)];
  const unknown = unique.filter((name) => !registry.has(name));
  if (unknown.length) throw unknownProviders(unknown);
  return unique;
}

export function planInvalidation(
  request: InvalidationRequest,
  providers: string[],
  keys: CatalogKeys,
  maxKeysPerBatch: number,
): InvalidationPlan {
  const keysOf = (p: string) => (request.cacheType === 'all' ? keys.providerKeys(p) : [keys.providerModels(p)]);
  // Global keys go last, in the final batch: the full catalog is invalidated once, at the end.
  const globals = [
    ...(request.cascade ? [keys.fullCatalog] : []),
    ...(request.cacheType === 'all' ? [keys.providerList, keys.pricing] : []),
  ];
  const batches: Batch[] = [];
  let current: Batch = { providers: [], commands: [] };
  let size = 0;
  for (const provider of providers) {
    const providerKeys = keysOf(provider);
    if (size > 0 && size + providerKeys.length > maxKeysPerBatch) {
      batches.push(current);
      current = { providers: [], commands: [] };
      size = 0;
    }
    current.providers.push(provider);
    current.commands.push({ provider, keys: providerKeys });
    size += providerKeys.length;
  }
  if (globals.length) current.commands.push({ provider: null, keys: globals });
  batches.push(current);
  const keysPlanned = batches.reduce((n, b) => n + b.commands.reduce((m, c) => m + c.keys.length, 0), 0);
  for (const batch of batches) for (const c of batch.commands) for (const k of c.keys) if (!keys.owns(k)) throw new Error(`refusing to plan ${k}`);
  return { providers, batches, keysPlanned, rebuildPricing: request.cacheType === 'all' };
}
