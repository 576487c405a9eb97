/**
 * Preview: what `start` would do with the same request, without doing it. The keys come from the
 * planner itself (the very list the engine would be given), so the preview cannot drift from the
 * job. One pipelined round trip reads whether each key exists and each provider's cached models;
 * nothing is deleted, marked or written.
 */
import 'server-only';
import type { Redis } from 'ioredis';
import type { ProviderRegistry } from '~/server/catalog/registry';
import { CATALOG_FIELDS, decodeModelsHash, zipFields } from '~/server/catalog/models-hash';
import { execChecked } from '~/server/redis/exec';
import type { CatalogKeys } from '~/server/redis/keys';
import { planInvalidation, resolveProviders } from './plan';
import { refreshModeOf } from './refresh';
import type { InvalidationRequest } from './schema';

export interface PreviewKey {
  key: string;
  /** Whether Redis holds it now; a planned key that is already gone costs nothing. */
  exists: boolean;
  /** Soft mode marks a provider's models stale (still served); everything else is deleted. */
  action: 'delete' | 'mark-stale';
}

export interface PreviewProvider {
  provider: string;
  keys: PreviewKey[];
  cachedAt: number | null;
  source: string;
  /** The models cached now (what readers get until the job runs). */
  models: { id: string; name: string }[];
}

export interface InvalidationPreview {
  /** The request's mode: `mark-stale` (soft) keeps serving the providers' models, flagged, until refreshed. */
  action: 'delete' | 'mark-stale';
  refresh: boolean;
  providers: PreviewProvider[];
  /** Keys outside any one provider: the full catalog, the provider list, global pricing. */
  globalKeys: PreviewKey[];
  keysPlanned: number;
  keysExisting: number;
  modelsCached: number;
}

export interface PreviewDeps {
  redis: Redis;
  keys: CatalogKeys;
  registry: ProviderRegistry;
  maxKeysPerBatch: number;
}

export async function previewInvalidation(deps: PreviewDeps, request: InvalidationRequest): Promise<InvalidationPreview> {
  const providers = resolveProviders(request, deps.registry);
  const plan = planInvalidation(request, providers, deps.keys, deps.maxKeysPerBatch);
  const commands = plan.batches.flatMap((b) => b.commands);
  const pipeline = deps.redis.pipeline();
  for (const command of commands) for (const key of command.keys) pipeline.exists(key);
  for (const name of providers) pipeline.hmget(deps.keys.providerModels(name), ...CATALOG_FIELDS);
  const replies = await execChecked(pipeline);

  let next = 0;
  const byProvider = new Map<string, PreviewKey[]>();
  const globalKeys: PreviewKey[] = [];
  for (const command of commands) {
    const action = command.op === 'stale' ? ('mark-stale' as const) : ('delete' as const);
    const keys = command.keys.map((key) => ({ key, exists: replies[next++] === 1, action }));
    if (command.provider === null) globalKeys.push(...keys);
    else byProvider.set(command.provider, [...(byProvider.get(command.provider) ?? []), ...keys]);
  }
  const previewed = providers.map((provider): PreviewProvider => {
    const cached = decodeModelsHash(zipFields(CATALOG_FIELDS, replies[next++] as (string | null)[]));
    return {
      provider,
      keys: byProvider.get(provider) ?? [],
      cachedAt: cached.cachedAt,
      source: cached.source ?? deps.registry.get(provider)?.description ?? '',
      models: cached.catalog?.models.map((m) => ({ id: m.id, name: m.name })) ?? [],
    };
  });
  const all = [...previewed.flatMap((p) => p.keys), ...globalKeys];
  return {
    action: request.mode === 'soft' ? 'mark-stale' : 'delete',
    refresh: refreshModeOf(request) !== null,
    providers: previewed,
    globalKeys,
    keysPlanned: plan.keysPlanned,
    keysExisting: all.filter((k) => k.exists).length,
    modelsCached: previewed.reduce((n, p) => n + p.models.length, 0),
  };
}
