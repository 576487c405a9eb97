/**
 * Per-model overrides in Redis under the admin prefix: one hash (`keys.guardOverrides`), each value
 * through its codec (overrides-schema.ts). The catalog cache applies them to every catalog it
 * publishes through `overlay` (wired by the composition root; the cache never imports the guard).
 *
 * Like the policy (policy-store.ts), each instance keeps what it read for `maxAgeMs` (5 s by
 * default) and its own changes at once, so a refresh reads the overrides at most once per period per
 * instance; another instance's change applies to its next publish within that period.
 */
import 'server-only';
import type { CachedProviderCatalog } from '~/server/catalog/schema';
import { within } from '~/server/lib/within';
import type { Logger } from '~/server/log/logger';
import type { RedisClient } from '~/server/redis/cluster';
import type { AdminKeys } from '~/server/redis/keys';
import { applyOverrides, overrideCodec, type ModelOverride, type OverrideInput } from './overrides-schema';

export interface OverrideStoreDeps {
  redis: RedisClient;
  keys: Pick<AdminKeys, 'guardOverrides'>;
  now?: () => number;
  maxAgeMs?: number;
  /** How long a write waits for the overrides before it falls back to the last ones read. */
  readTimeoutMs?: number;
  log?: Logger;
}

/** Per provider, per model id. */
type OverrideIndex = Map<string, Map<string, ModelOverride>>;

export type OverrideStore = ReturnType<typeof createOverrideStore>;

export function createOverrideStore({ redis, keys, now = Date.now, maxAgeMs = 5_000, readTimeoutMs = 1_000, log }: OverrideStoreDeps) {
  let memo: { index: OverrideIndex; at: number } | null = null;
  let reading: Promise<OverrideIndex> | null = null;

  /** Every stored override (one round trip), sorted by provider then model; values that do not parse are skipped, logged. */
  async function readAll(): Promise<ModelOverride[]> {
    const raw = await redis.hgetall(keys.guardOverrides);
    const all: ModelOverride[] = [];
    for (const [field, value] of Object.entries(raw)) {
      const o = overrideCodec.decode(value);
      if (o && overrideCodec.field(o.provider, o.model) === field) all.push(o);
      else log?.warn({ field }, 'a stored catalog override does not parse; it is ignored');
    }
    all.sort((a, b) => (a.provider === b.provider ? a.model.localeCompare(b.model) : a.provider.localeCompare(b.provider)));
    const index: OverrideIndex = new Map();
    for (const o of all) {
      const forProvider = index.get(o.provider) ?? new Map<string, ModelOverride>();
      forProvider.set(o.model, o);
      index.set(o.provider, forProvider);
    }
    memo = { index, at: now() };
    return all;
  }

  async function current(): Promise<OverrideIndex> {
    if (memo && now() - memo.at < maxAgeMs) return memo.index;
    // The admin Redis slow or down must not stop the catalog's rebuilds (the gateway's reads): the
    // read is bounded, and on failure the overrides last read keep applying (logged); only an
    // instance that never read them fails, in words.
    const last = memo;
    reading ??= readAll()
      .then(() => memo?.index ?? new Map<string, Map<string, ModelOverride>>())
      .finally(() => (reading = null));
    try {
      return await within(reading, readTimeoutMs);
    } catch (err) {
      if (!last) throw new Error(`The catalog overrides cannot be read (${err instanceof Error ? err.message : String(err)}); nothing is published without them`);
      log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'the catalog overrides cannot be read; the last ones read keep applying');
      return last.index;
    }
  }

  // Read once at once, so that an instance has its copy before its first write.
  void current().catch(() => {});

  return {
    /** As stored now (one round trip): what `catalog.overrides` lists. */
    async list(provider?: string): Promise<ModelOverride[]> {
      const all = await readAll();
      return provider ? all.filter((o) => o.provider === provider) : all;
    },
    /** Stores the override of one model, replacing any before it; this instance applies it at once. */
    async save(input: OverrideInput, by: string): Promise<ModelOverride> {
      const o: ModelOverride = { ...input, updatedAt: now(), updatedBy: by };
      await redis.hset(keys.guardOverrides, overrideCodec.field(o.provider, o.model), overrideCodec.encode(o));
      memo = null;
      return o;
    },
    /** True if there was one to remove. */
    async remove(provider: string, model: string): Promise<boolean> {
      const removed = Number(await redis.hdel(keys.guardOverrides, overrideCodec.field(provider, model))) === 1;
      memo = null;
      return removed;
    },
    /** The catalog cache's overlay: what readers get of a source's catalog (this instance's copy of the overrides). */
    overlay: Object.assign(async (catalog: CachedProviderCatalog): Promise<CachedProviderCatalog> => applyOverrides(catalog, (await current()).get(catalog.provider)), {
      /** Starts the read if this instance's copy is old, without waiting (a failed read is retried by the overlay, which fails in words). */
      warm: () => void current().catch(() => {}),
    }),
  };
}

