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
import { parseProviderRead, prepareCatalogConnection, queueProviderRead, writeProvider, type ProviderReadReply, type ProviderWrite, type WantBasis } from './fence';
import { diffModels, type CachedProviderCatalog } from './schema';
import { modelChanges } from './history/changes';
import { encodeChanges } from './history/log';
import type { ChangeVia } from './history/schema';

/** Who asked for a write from a source: a job's refresh (its id) or a reader's rebuild. */
export interface WriteCause {
  via: Extract<ChangeVia, 'refresh' | 'rebuild'>;
  job?: string;
}

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
 *
 * The catalog's history (history/log.ts): what changed against `basis`, model by model, is appended
 * by the publishing script itself (no round trip of its own; nothing when nothing changed or when
 * nothing was published before: the first catalog is the baseline, not a change). A held candidate
 * keeps its changes for the approval to append.
 */
export async function publishProvider(ctx: CacheContext, catalog: CachedProviderCatalog, gen: string, token: string, basis: CachedProviderCatalog | null, cause: WriteCause = { via: 'rebuild' }): Promise<WriteOutcome> {
  const verdict = ctx.judge ? await ctx.judge(catalog.provider, basis, catalog) : { hold: [], alerts: [] };
  if (verdict.alerts.length) ctx.log?.warn({ provider: catalog.provider, alerts: verdict.alerts }, 'the catalog guard alerts on a published catalog');
  const changes = basis ? modelChanges(basis.models, catalog.models) : [];
  const job = cause.job ?? null;
  if (!verdict.hold.length) {
    const publication = newToken();
    const at = ctx.changes.now();
    const history = { changes: encodeChanges(changes, { publication, via: cause.via, job, approvedBy: null }), basisAt: basis?.cachedAt ?? null, at, retentionMs: ctx.changes.retentionMs };
    const { stored, recorded } = await writeStored(ctx, catalog, gen, token, history);
    if (!stored) return { kind: 'fenced' };
    if (recorded) ctx.onCatalogEvent({ type: 'catalog.changed', provider: catalog.provider, publication, via: cause.via, job, approvedBy: null, at, changes });
    return { kind: 'stored', alerts: verdict.alerts };
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
  const result = await holdProvider(ctx.redis, ctx.providerKeys(catalog.provider), held, { token, ttlMs: ctx.ttlMs(), basisPricing: JSON.stringify(basis ? pricingOf(basis) : {}) });
  ctx.log?.warn({ provider: catalog.provider, breaches: verdict.hold, result }, 'the catalog guard held a candidate');
  if (result === 'fenced') {
    ctx.onFenced('provider');
    return { kind: 'fenced' };
  }
  // Live views refetch the cache state: the provider is flagged held (and its copy may be re-stored).
  ctx.onChange({ reason: 'held', providers: [catalog.provider] });
  ctx.onCatalogEvent({ type: 'catalog.held', provider: catalog.provider, id, job, at: held.heldAt, breaches: verdict.hold, changes });
  return { kind: 'held', breaches: verdict.hold, alerts: verdict.alerts, served: result === 'nothing' ? null : basis };
}

/**
 * Stores a catalog only if the provider's generation is still `gen`; releases the lease if `token`
 * holds it. Unjudged: writes from a source go through publishProvider (this is its last step).
 */
export async function storeProvider(ctx: CacheContext, catalog: CachedProviderCatalog, gen: string, token = ''): Promise<boolean> {
  return (await writeStored(ctx, catalog, gen, token)).stored;
}

async function writeStored(ctx: CacheContext, catalog: CachedProviderCatalog, gen: string, token: string, history?: ProviderWrite['history']) {
  const written = await writeProvider(ctx.redis, ctx.providerKeys(catalog.provider), {
    gen,
    token,
    ttlMs: ctx.ttlMs(),
    catalog,
    pricing: JSON.stringify(pricingOf(catalog)),
    ...(history ? { history } : {}),
  });
  if (written.stored) ctx.onChange({ reason: 'rebuilt', providers: [catalog.provider] });
  else ctx.onFenced('provider');
  return written;
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
export const snapshotCached = async (ctx: CacheContext, names: readonly string[]) =>
  (await readMany(ctx, names, 2)).map((read) => ({ cached: read.catalog, basis: read.basis ?? null }));

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
