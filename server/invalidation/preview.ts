/**
 * Preview: what `start` would do with the same request, without doing it. The keys come from the
 * planner itself (the very list the engine would be given), so the preview cannot drift from the
 * job. One pipelined round trip (one per node, in parallel, on a cluster) reads whether each key exists and each provider's cached models;
 * nothing is deleted, marked or written.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import type { ProviderRegistry } from '~/server/catalog/sources/registry';
import { CATALOG_FIELDS, decodeModelsHash, zipFields } from '~/server/catalog/models-hash';
import { keyedBatch } from '~/server/redis/cluster';
import type { CatalogKeys } from '~/server/redis/keys';
import { modelKeyChunks, modelKeySourceOf, type ModelKeySource } from './model-keys';
import { planInvalidation, resolveProviders } from './plan';

/** Per-model keys listed per provider in a preview (all are counted). */
const MODEL_KEYS_LISTED = 200;
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
  /** The models cached now (what readers get until the job runs); empty when the value is not in this project's format. */
  models: { id: string; name: string }[];
  /** The models key holds a value in this project's format (a models hash); false for a gateway's own (e.g. a JSON string). */
  ourFormat: boolean;
  /** Per-model keys (CATALOG_KEYS modelKey), deleted before the provider's keys; absent when the layout has none or the job marks stale. */
  modelKeys?: { source: ModelKeySource; count: number; keys: string[]; truncated: boolean };
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
  redis: RedisClient;
  keys: CatalogKeys;
  registry: ProviderRegistry;
  maxKeysPerBatch: number;
}

export async function previewInvalidation(deps: PreviewDeps, request: InvalidationRequest): Promise<InvalidationPreview> {
  const providers = resolveProviders(request, deps.registry);
  const plan = planInvalidation(request, providers, deps.keys, deps.maxKeysPerBatch);
  const commands = plan.batches.flatMap((b) => b.commands);
  // One pipeline on one server, one per node on a cluster (the keys span slots).
  const batch = keyedBatch(deps.redis);
  for (const command of commands) for (const key of command.keys) batch.add(key, (t) => t.exists(key));
  for (const name of providers) {
    const models = deps.keys.providerModels(name);
    batch.add(models, (t) => t.hmget(models, ...CATALOG_FIELDS));
  }
  // A gateway's own value (a JSON string) answers HMGET with WRONGTYPE: not ours, nothing else wrong.
  const raw = await batch.exec();
  const fixedCount = commands.reduce((n, c) => n + c.keys.length, 0);
  const replies = raw.map(([err, reply], i) => {
    if (err && (i < fixedCount || !/WRONGTYPE/.test(err.message))) throw err;
    return err ? null : reply;
  });
  // Per-model keys: streamed as the job would, counted per provider, the first few listed.
  const perModel = new Map<string, { count: number; keys: string[] }>();
  if (plan.modelKeys) {
    for (const p of providers) perModel.set(p, { count: 0, keys: [] });
    for await (const chunk of modelKeyChunks(deps.redis, deps.keys, providers, { chunk: 1000 })) {
      for (const key of chunk.keys) {
        const entry = perModel.get(deps.keys.modelKeyOwner(key) ?? '');
        if (!entry) continue;
        entry.count += 1;
        if (entry.keys.length < MODEL_KEYS_LISTED) entry.keys.push(key);
      }
    }
  }

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
    const fields = replies[next++] as (string | null)[] | null;
    const cached = decodeModelsHash(zipFields(CATALOG_FIELDS, fields ?? []));
    const ourFormat = cached.catalog !== null;
    const models = perModel.get(provider);
    const source = modelKeySourceOf(deps.keys, ourFormat);
    return {
      provider,
      keys: byProvider.get(provider) ?? [],
      cachedAt: cached.cachedAt,
      source: cached.source ?? deps.registry.get(provider)?.description ?? '',
      models: cached.catalog?.models.map((m) => ({ id: m.id, name: m.name })) ?? [],
      ourFormat,
      ...(models && source ? { modelKeys: { source, count: models.count, keys: models.keys, truncated: models.count > models.keys.length } } : {}),
    };
  });
  const all = [...previewed.flatMap((p) => p.keys), ...globalKeys];
  const modelKeysPlanned = previewed.reduce((n, p) => n + (p.modelKeys?.count ?? 0), 0);
  return {
    action: request.mode === 'soft' ? 'mark-stale' : 'delete',
    refresh: refreshModeOf(request) !== null,
    providers: previewed,
    globalKeys,
    // Per-model keys are found by reading Redis (they exist, or they would not be found).
    keysPlanned: plan.keysPlanned + modelKeysPlanned,
    keysExisting: all.filter((k) => k.exists).length + modelKeysPlanned,
    modelsCached: previewed.reduce((n, p) => n + p.models.length, 0),
  };
}
