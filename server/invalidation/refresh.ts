/**
 * Refresh and verify: right after a job's deletions (or stale marks), fetch each provider's catalog
 * from its source, check it, write it, and say what changed against the copy cached before the job.
 *
 * What it promises: an answer that errors, times out, is not a model list or is an empty list is
 * never written. In soft mode the stale copy stays in Redis and keeps being served (the last good
 * copy); in delete mode the admin's deletion stands and nothing replaces it (readers rebuild on
 * their next read, as after any delete). Either way the provider is reported `failed`, in words.
 * The fetch is the read path's own (catalog/verified-fetch.ts: fetch, verify, stamp). Writes go
 * through the cache's fence (catalog/fence.ts): a newer invalidation during the fetch drops this
 * answer. Before the write, the catalog guard (server/guard/, wired into the cache) checks the answer
 * against the provider's last published copy, read in the snapshot's own script: one that breaks a
 * `hold` rule is stored as held, not published, and the provider is reported `held` with the rules
 * in words (readers keep the last published copy; a delete's missing copy is re-stored from it).
 * The step also takes each provider's rebuild lease where free, so readers of a
 * stale (soft) or missing (delete) provider wait for the job's fetch rather than each fetching.
 * Cost: one round trip for the snapshot before the batch, one for the fences and leases after it,
 * then per provider one source fetch (8 at a time), one fenced write and one `progress` event.
 */
import 'server-only';
import type { ProviderRegistry } from '~/server/catalog/sources/registry';
import type { WriteCause, WriteOutcome } from '~/server/catalog/cache';
import { diffModels, type CachedProviderCatalog } from '~/server/catalog/schema';
import { AnswerRejected, fetchVerified, SourceFailed } from '~/server/catalog/sources/verified-fetch';
import { mapLimit } from '~/server/lib/map-limit';
import { describeZodError } from '~/server/lib/validation';
import { z } from 'zod';
import type { ProviderRefresh } from './refresh-schema';
import type { InvalidationRequest } from './schema';

/** Whether a job refreshes, and in which mode: `refresh` defaults to on for soft, off for delete. */
export function refreshModeOf(request: InvalidationRequest): 'delete' | 'soft' | null {
  return (request.refresh ?? request.mode === 'soft') ? request.mode : null;
}

/** The request with `refresh` made explicit, so the record (and coalescing) say what will happen. */
export const withRefreshDefault = (request: InvalidationRequest): InvalidationRequest => ({ ...request, refresh: refreshModeOf(request) !== null });

export { diffModels, type ModelDiff } from '~/server/catalog/schema';

export interface RefreshClaim {
  /** The provider's generation after the job's batch: the write is dropped if another invalidation bumps it. */
  gen: string;
  /** The rebuild lease, when it was free: readers wait for this write instead of fetching themselves. */
  token: string;
}

export interface RefreshDeps {
  registry: ProviderRegistry;
  /**
   * The cached copies now, stale or not (null where nothing is cached), and the guard's basis (the
   * last published copy), in one round trip.
   */
  readCached(names: readonly string[]): Promise<{ cached: CachedProviderCatalog | null; basis: CachedProviderCatalog | null }[]>;
  /** After the batch: each provider's fence and, where free, its rebuild lease, in one round trip. */
  claim(names: readonly string[]): Promise<RefreshClaim[]>;
  /** Judges a verified catalog against `basis` and publishes it through the fence, or holds it (catalog/provider-store.ts). */
  write(catalog: CachedProviderCatalog, gen: string, token: string, basis: CachedProviderCatalog | null, cause: WriteCause): Promise<WriteOutcome>;
  timeoutMs: number;
  now: () => number;
}

export interface RefreshStep {
  /** Reads what is cached now, the base of the diff (call before the deletions). */
  snapshot(): Promise<void>;
  /** Fetches, verifies and writes each provider; `report` is called as each one finishes. */
  run(report: (outcome: ProviderRefresh, done: number) => Promise<void>): Promise<ProviderRefresh[]>;
}

/** `jobId` names the job in the catalog's history of what its refresh published. */
export function createRefreshStep(deps: RefreshDeps, providers: readonly string[], mode: 'delete' | 'soft', jobId?: string): RefreshStep {
  let before: { cached: CachedProviderCatalog | null; basis: CachedProviderCatalog | null }[] = providers.map(() => ({ cached: null, basis: null }));

  async function refreshOne(name: string, snapshot: { cached: CachedProviderCatalog | null; basis: CachedProviderCatalog | null }, claim: RefreshClaim): Promise<ProviderRefresh> {
    const old = snapshot.cached;
    const failed = (reason: string): ProviderRefresh => ({
      provider: name,
      status: 'failed',
      added: [],
      removed: [],
      changed: [],
      modelCount: mode === 'soft' ? (old?.models.length ?? null) : null,
      error: `${reason}; ${keptInWords(mode, old)}`,
    });
    const source = deps.registry.get(name);
    if (!source) return failed('the provider has no source any more');
    let catalog: CachedProviderCatalog;
    try {
      catalog = await withTimeout((signal) => fetchVerified(source, deps.now, signal), deps.timeoutMs);
    } catch (err) {
      if (err instanceof AnswerRejected) return failed(err.reason);
      return failed(describeFetchError(err instanceof SourceFailed ? err.cause : err, deps.timeoutMs).replace(`: ${name}: `, ': '));
    }
    let written: WriteOutcome;
    try {
      written = await deps.write(catalog, claim.gen, claim.token, snapshot.basis, { via: 'refresh', ...(jobId ? { job: jobId } : {}) });
    } catch (err) {
      return failed(`writing it to Redis failed (${err instanceof Error ? err.message : String(err)})`);
    }
    if (written.kind === 'fenced') return failed('a newer invalidation started while the source was answering, so this answer was dropped');
    const alerts = written.alerts.length ? { alerts: written.alerts } : {};
    if (written.kind === 'held') {
      // Not published: the diff is against the last published copy, which readers keep getting.
      const diff = diffModels(snapshot.basis?.models ?? null, catalog.models);
      return { provider: name, status: 'held', ...diff, modelCount: written.served?.models.length ?? null, breaches: written.breaches, ...alerts };
    }
    // What readers got before against what they get now (both with the overrides applied).
    const diff = diffModels(old?.models ?? null, written.served.models);
    const same = old !== null && !diff.added.length && !diff.removed.length && !diff.changed.length;
    return { provider: name, status: same ? 'unchanged' : 'refreshed', ...diff, modelCount: written.served.models.length, ...alerts };
  }

  return {
    async snapshot() {
      before = await deps.readCached(providers);
    },
    async run(report) {
      let done = 0;
      const claims = await deps.claim(providers);
      return mapLimit(providers, 8, async (name, i) => {
        const outcome = await refreshOne(name, before[i] ?? { cached: null, basis: null }, claims[i] ?? { gen: '0', token: '' });
        done += 1;
        await report(outcome, done);
        return outcome;
      });
    },
  };
}

function keptInWords(mode: 'delete' | 'soft', old: CachedProviderCatalog | null): string {
  if (mode === 'delete') return 'nothing was written (delete mode had already removed the old copy; readers rebuild it on their next read)';
  if (!old) return 'nothing was written, and there was no cached copy to keep';
  return `kept the last good copy (${old.models.length} models, cached ${new Date(old.cachedAt).toISOString()})`;
}

class SourceTimeout extends Error {}

/** Aborts the fetch at the deadline, and also stops waiting for sources that ignore the signal. */
async function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new SourceTimeout());
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  if (err instanceof SourceTimeout || (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))) {
    return `the source did not answer within ${timeoutMs} ms`;
  }
  if (err instanceof z.ZodError) return `the source's answer is not a model list (${describeZodError(err).replace(/^Invalid input: /, '')})`;
  if (err instanceof SyntaxError) return `the source's answer is not JSON (${err.message})`;
  return `the source failed: ${err instanceof Error ? err.message : String(err)}`;
}
