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
import { holdProvider, servedFields } from './held';
import { pricingOf } from './derived-values';
import { parseProviderRead, prepareCatalogConnection, queueProviderRead, reserveProvider, writeProvider, type ProviderReadReply, type ProviderWrite, type WantBasis } from './fence';
import { diffModels, type CachedProviderCatalog } from './schema';
import { modelChanges } from './history/changes';
import { encodeChanges } from './history/log';
import type { ChangeVia } from './history/schema';

/** Who asked for a write from a source: a job's refresh (its id) or a reader's rebuild. */
export interface WriteCause {
  via: Extract<ChangeVia, 'refresh' | 'rebuild'>;
  job?: string;
}

/** What became of a candidate from a source; `served` is what readers get of it (the overrides applied). */
export type WriteOutcome =
  | { kind: 'stored'; alerts: string[]; served: CachedProviderCatalog }
  | { kind: 'fenced'; served: CachedProviderCatalog }
  /** Not published: `served` is what readers get meanwhile (the last published copy), null if nothing. */
  | { kind: 'held'; breaches: string[]; alerts: string[]; served: CachedProviderCatalog | null };

/**
 * Every write from a source goes here: the guard's judge (if wired) checks the candidate against
 * `basis`, the last published copy read with the miss or the job's snapshot (fence.ts: no round trip
 * of its own); then it is stored through the fence and published, or held (held.ts). Either write
 * releases the lease if `token` holds it and stores only if the generation is still `gen`.
 *
 * The catalog's history (history/log.ts): what changed against `basis`, model by model, is appended
 * by the publishing script itself (no round trip of its own; nothing when nothing changed or when
 * nothing was published before: the first catalog is the baseline, not a change). A held candidate
 * keeps its changes for the approval to append.
 */
export async function publishProvider(ctx: CacheContext, catalog: CachedProviderCatalog, gen: string, token: string, basis: CachedProviderCatalog | null, cause: WriteCause = { via: 'rebuild' }): Promise<WriteOutcome> {
  // The guard judges the source's answer against the last published answer, both without the
  // overrides: an override must not hide a source's ×1,000 (nor make an unchanged answer look changed).
  // The history records the same comparison: a change of the source, not of what an override made of it.
  const verdict = ctx.judge ? await ctx.judge(catalog.provider, basis, catalog) : { hold: [], alerts: [] };
  if (verdict.alerts.length) ctx.log?.warn({ provider: catalog.provider, alerts: verdict.alerts }, 'the catalog guard alerts on a published catalog');
  const changes = basis ? modelChanges(basis.models, catalog.models) : [];
  const job = cause.job ?? null;
  if (!verdict.hold.length) {
    const publication = newToken();
    const at = ctx.changes.now();
    const history = { changes: encodeChanges(changes, { publication, via: cause.via, job, approvedBy: null }), basisAt: basis?.cachedAt ?? null, at, retentionMs: ctx.changes.retentionMs };
    const { stored, recorded, served } = await writeServed(ctx, catalog, gen, token, history);
    if (!stored) return { kind: 'fenced', served };
    if (recorded) ctx.onCatalogEvent({ type: 'catalog.changed', provider: catalog.provider, publication, via: cause.via, job, approvedBy: null, at, changes });
    return { kind: 'stored', alerts: verdict.alerts, served };
  }
  const id = newToken();
  const held = {
    id,
    job: job ?? '',
    changes: encodeChanges(changes, { publication: id, via: 'approval', job, approvedBy: null }),
    gen,
    heldAt: ctx.now(),
    candidate: catalog,
    pricing: JSON.stringify(pricingOf(catalog)),
    breaches: verdict.hold,
    diff: diffModels(basis?.models ?? null, catalog.models),
  };
  // What readers get meanwhile: the last published copy with the overrides applied (re-stored so when a delete removed it).
  const servedBasis = basis ? await ctx.serve(basis) : null;
  const result = await holdProvider(ctx.redis, ctx.providerKeys(catalog.provider), held, {
    token,
    ttlMs: ctx.ttlMs(),
    basisPricing: JSON.stringify(servedBasis ? pricingOf(servedBasis) : {}),
    served: servedFields(basis, servedBasis),
  });
  ctx.log?.warn({ provider: catalog.provider, breaches: verdict.hold, result }, 'the catalog guard held a candidate');
  if (result === 'fenced') {
    ctx.onFenced('provider');
    return { kind: 'fenced', served: await ctx.serve(catalog) };
  }
  // Live views refetch the cache state: the provider is flagged held (and its copy may be re-stored).
  ctx.onChange({ reason: 'held', providers: [catalog.provider] });
  ctx.onCatalogEvent({ type: 'catalog.held', provider: catalog.provider, id, job, at: held.heldAt, breaches: verdict.hold, changes });
  return { kind: 'held', breaches: verdict.hold, alerts: verdict.alerts, served: result === 'nothing' ? null : servedBasis };
}

/**
 * Stores a catalog only if the provider's generation is still `gen`; releases the lease if `token`
 * holds it. Unjudged: writes from a source go through publishProvider (this is its last step).
 */
export const storeProvider = async (ctx: CacheContext, catalog: CachedProviderCatalog, gen: string, token = ''): Promise<boolean> => (await writeServed(ctx, catalog, gen, token)).stored;

/**
 * The one write of a source's catalog: readers get it with the overrides applied (`ctx.serve`), the
 * guard's basis (the published copy) keeps it as the source answered, and the history gets `history`.
 */
async function writeServed(ctx: CacheContext, catalog: CachedProviderCatalog, gen: string, token: string, history?: ProviderWrite['history']) {
  const served = await ctx.serve(catalog);
  const written = await writeProvider(ctx.redis, ctx.providerKeys(catalog.provider), {
    gen,
    token,
    ttlMs: ctx.ttlMs(),
    catalog: served,
    pricing: JSON.stringify(pricingOf(served)),
    raw: catalog,
    ...(history ? { history } : {}),
  });
  if (written.stored) ctx.onChange({ reason: 'rebuilt', providers: [catalog.provider] });
  else ctx.onFenced('provider');
  return { ...written, served };
}

/**
 * The overrides of `name` changed: its fresh cached copy is recomputed from the last published one
 * (two round trips: the read, the fenced rewrite). A missing or stale copy is left to its rebuild,
 * which applies them. True if rewritten.
 */
export async function reserveCached(ctx: CacheContext, name: string): Promise<boolean> {
  const [read] = await readMany(ctx, [name], 2);
  const raw = read?.basis ?? null;
  if (!read || read.state !== 'hit' || !raw) return false;
  const served = await ctx.serve(raw);
  const rewritten = await reserveProvider(ctx.redis, ctx.providerKeys(name), read.gen, served, JSON.stringify(pricingOf(served)));
  if (rewritten) ctx.onChange({ reason: 'rebuilt', providers: [name] });
  return rewritten;
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
  // The job fetches next: the policy and overrides reads (if this instance's copies are old) overlap this read and the fetch.
  ctx.warm();
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
