/**
 * A provider's copy in Redis: the judged, fenced write every rebuild goes through, the lease-free
 * read of many providers at once (one pipelined round trip), and what refresh-and-verify
 * (server/invalidation/refresh.ts) needs of the cache: the cached copies before the job's batch
 * (with the guard's basis), and after it each provider's fence and rebuild lease. One round trip each.
 */
import 'server-only';
import { keyedBatch } from '~/server/redis/cluster';
import { execChecked } from '~/server/redis/exec';
import { newToken, type CacheContext } from './cache-context';
import { holdProvider } from './held';
import { pricingOf } from './derived-values';
import { parseProviderRead, prepareCatalogConnection, queueProviderRead, writeProvider, type ProviderReadReply, type WantBasis } from './fence';
import { diffModels, type CachedProviderCatalog } from './schema';

/** What became of a candidate from a source. */
export type WriteOutcome =
  | { kind: 'stored'; alerts: string[] }
  | { kind: 'fenced' }
  /** Not published: `served` is what readers get meanwhile (the last published copy), null if nothing. */
  | { kind: 'held'; breaches: string[]; alerts: string[]; served: CachedProviderCatalog | null };

/**
 * Every write from a source goes here: the guard's judge (if wired) checks the candidate against
 * `basis`, the last published copy read with the miss or the job's snapshot (fence.ts: no round trip
 * of its own); then it is stored through the fence and published, or held (held.ts). Either write
 * releases the lease if `token` holds it and stores only if the generation is still `gen`.
 */
export async function publishProvider(ctx: CacheContext, catalog: CachedProviderCatalog, gen: string, token: string, basis: CachedProviderCatalog | null): Promise<WriteOutcome> {
  const verdict = ctx.judge ? await ctx.judge(catalog.provider, basis, catalog) : { hold: [], alerts: [] };
  if (verdict.alerts.length) ctx.log?.warn({ provider: catalog.provider, alerts: verdict.alerts }, 'the catalog guard alerts on a published catalog');
  if (!verdict.hold.length) return (await storeProvider(ctx, catalog, gen, token)) ? { kind: 'stored', alerts: verdict.alerts } : { kind: 'fenced' };
  const held = {
    id: newToken(),
    gen,
    heldAt: ctx.now(),
    candidate: catalog,
    pricing: JSON.stringify(pricingOf(catalog)),
    breaches: verdict.hold,
    diff: diffModels(basis?.models ?? null, catalog.models),
  };
  const result = await holdProvider(ctx.redis, ctx.providerKeys(catalog.provider), held, { token, ttlMs: ctx.ttlMs(), basisPricing: JSON.stringify(basis ? pricingOf(basis) : {}) });
  ctx.log?.warn({ provider: catalog.provider, breaches: verdict.hold, result }, 'the catalog guard held a candidate');
  if (result === 'fenced') {
    ctx.onFenced('provider');
    return { kind: 'fenced' };
  }
  // Live views refetch the cache state: the provider is flagged held (and its copy may be re-stored).
  ctx.onChange({ reason: 'held', providers: [catalog.provider] });
  return { kind: 'held', breaches: verdict.hold, alerts: verdict.alerts, served: result === 'nothing' ? null : basis };
}

/**
 * Stores a catalog only if the provider's generation is still `gen`; releases the lease if `token`
 * holds it. Unjudged: writes from a source go through publishProvider (this is its last step).
 */
export async function storeProvider(ctx: CacheContext, catalog: CachedProviderCatalog, gen: string, token = ''): Promise<boolean> {
  const stored = await writeProvider(ctx.redis, ctx.providerKeys(catalog.provider), {
    gen,
    token,
    ttlMs: ctx.ttlMs(),
    catalog,
    pricing: JSON.stringify(pricingOf(catalog)),
  });
  if (stored) ctx.onChange({ reason: 'rebuilt', providers: [catalog.provider] });
  else ctx.onFenced('provider');
  return stored;
}

/** Every provider's cached value in one round trip (one per node, in parallel, on a cluster), taking no lease. */
export async function readMany(ctx: CacheContext, names: readonly string[], wantBasis: WantBasis = 0): Promise<ProviderReadReply[]> {
  return (await execChecked(queueReads(ctx, names, () => '', false, wantBasis))).map(parseProviderRead);
}

/** One read script per provider (its keys share the models key's slot), `token(i)` for the lease if wanted. */
export function queueReads(ctx: CacheContext, names: readonly string[], token: (i: number) => string, wantLease = false, wantBasis: WantBasis = 0) {
  const batch = keyedBatch(ctx.redis);
  names.forEach((name, i) => {
    const keys = ctx.providerKeys(name);
    batch.add(keys.models, (t) => queueProviderRead(t, keys, token(i), ctx.leaseMs, wantLease, wantBasis), prepareCatalogConnection);
  });
  return batch;
}

/** The cached copies now, stale or not, taking no lease (null where nothing is cached). */
export const peekCached = async (ctx: CacheContext, names: readonly string[]) => (await readMany(ctx, names)).map((read) => read.catalog);

/**
 * A job's snapshot before its batch: each cached copy (the base of its diff) and, in the same
 * round trip, the guard's basis (the last published copy), which a delete cannot remove.
 */
export async function snapshotCached(ctx: CacheContext, names: readonly string[]) {
  // The job fetches next: the judge's policy read (if this instance's copy is old) overlaps this read and the fetch.
  ctx.judge?.warm?.();
  return (await readMany(ctx, names, 2)).map((read) => ({ cached: read.catalog, basis: read.basis ?? null }));
}

/**
 * After the job's batch: each provider's generation (the fence of its write) and, where free, its
 * rebuild lease, so readers of a stale or missing provider wait for the job's fetch instead of
 * starting their own.
 */
export async function claimRefresh(ctx: CacheContext, names: readonly string[]): Promise<{ gen: string; token: string }[]> {
  const tokens = names.map(() => newToken());
  return (await execChecked(queueReads(ctx, names, (i) => tokens[i] ?? '', true))).map((reply, i) => {
    const read = parseProviderRead(reply);
    return { gen: read.gen, token: read.leased ? (tokens[i] ?? '') : '' };
  });
}
