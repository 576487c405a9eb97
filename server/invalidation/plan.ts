/**
 * Turns a request into the exact keys to delete (or mark stale), grouped in batches of one round
 * trip each. Only keys built by keys.ts are ever planned, so nothing outside the catalog namespace
 * (not even a key that merely looks alike) can be reached. Every command names the generation
 * counter it bumps in the same batch: the fence that stops a rebuild begun before it (fence.ts).
 */
import 'server-only';
import type { ProviderRegistry } from '~/server/catalog/sources/registry';
import type { CatalogKeys } from '~/server/redis/keys';
import { unknownProviders } from '~/server/lib/errors';
import { refreshModeOf } from './refresh';
import type { InvalidationRequest } from './schema';

export interface BatchCommand {
  /** The provider the command belongs to; null for the global keys. */
  provider: string | null;
  /** `unlink` deletes the keys; `stale` marks a provider's models hash stale (soft invalidation). */
  op: 'unlink' | 'stale';
  keys: string[];
  /** The generation key bumped in the same batch. */
  fence: string;
}

export interface Batch {
  providers: string[];
  /** One command per provider (so per-provider errors stay attributable), the globals last. */
  commands: BatchCommand[];
}

export interface InvalidationPlan {
  providers: string[];
  batches: Batch[];
  keysPlanned: number;
  rebuildPricing: boolean;
  /** Refresh and verify after the batch (refresh.ts), in this mode; null when not asked. */
  refresh?: 'delete' | 'soft' | null;
  /**
   * The layout has per-model keys and the job deletes: they are planned as the job runs, streamed
   * in bounded chunks before each batch (model-keys.ts), and not counted in `keysPlanned`.
   */
  modelKeys?: boolean;
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
  const soft = request.mode === 'soft';
  const commandOf = (p: string): BatchCommand => {
    if (soft) return { provider: p, op: 'stale', keys: [keys.providerModels(p)], fence: keys.providerGeneration(p) };
    return { provider: p, op: 'unlink', keys: request.cacheType === 'all' ? keys.providerKeys(p) : [keys.providerModels(p)], fence: keys.providerGeneration(p) };
  };
  // Global keys go last, in the final batch: the full catalog is invalidated once, at the end. A soft
  // invalidation keeps the provider list and pricing (readers keep the old ones until the refresh).
  const globals = [
    ...(request.cascade ? [keys.fullCatalog] : []),
    ...(request.cacheType === 'all' && !soft ? [keys.providerList, keys.pricing] : []),
  ];
  const batches: Batch[] = [];
  let current: Batch = { providers: [], commands: [] };
  let size = 0;
  for (const provider of providers) {
    const command = commandOf(provider);
    if (size > 0 && size + command.keys.length > maxKeysPerBatch) {
      batches.push(current);
      current = { providers: [], commands: [] };
      size = 0;
    }
    current.providers.push(provider);
    current.commands.push(command);
    size += command.keys.length;
  }
  if (globals.length) current.commands.push({ provider: null, op: 'unlink', keys: globals, fence: keys.globalGeneration });
  batches.push(current);
  const commands = batches.flatMap((b) => b.commands);
  for (const key of commands.flatMap((c) => c.keys)) if (!keys.owns(key)) throw new Error(`refusing to plan ${key}`);
  const keysPlanned = commands.reduce((n, c) => n + c.keys.length, 0);
  return {
    providers,
    batches,
    keysPlanned,
    // A gateway's own layout: its pricing is its own to rebuild (our format would overwrite its value).
    rebuildPricing: request.cacheType === 'all' && !soft && keys.layout === 'native',
    refresh: refreshModeOf(request),
    ...(!soft && keys.modelKey ? { modelKeys: true } : {}),
  };
}

/** At most this many of a job's planned keys are kept in its result, for its detail page; the count stays exact. */
export const LISTED_KEYS = 200;

/**
 * The keys a job sends (UNLINK, or marked stale), first LISTED_KEYS of them in plan order, from the
 * plan it already holds: no round trip. Per-model keys (streamed while the job runs) are not in the
 * plan: `keysDeleted` counts them, this list does not.
 */
export function plannedKeys(plan: Pick<InvalidationPlan, 'batches' | 'keysPlanned'>, max = LISTED_KEYS): { keys: string[]; total: number } {
  const keys: string[] = [];
  for (const command of plan.batches.flatMap((b) => b.commands)) {
    for (const key of command.keys) {
      if (keys.length >= max) return { keys, total: plan.keysPlanned };
      keys.push(key);
    }
  }
  return { keys, total: plan.keysPlanned };
}
