/**
 * Single-flight reads of one provider: serve from Redis, rebuild from the source on a miss and
 * store through the fence. In process, concurrent callers share one promise per provider; across
 * instances, the rebuild lease (fence.ts) lets one reader fetch while the others poll for its write
 * (10 ms doubling to 100 ms, up to `waitMs`, then they fetch themselves, fenced too). A
 * soft-invalidated copy is served at cache speed while the lease holder refreshes it in the
 * background. Cost: a hit is one round trip, a rebuild two, a waiter one per poll.
 */
import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { newToken, type CacheContext, type CacheRead } from './cache-context';
import { readProvider } from './fence';
import { providerEntry, type ProcessTier } from './process-tier';
import { publishProvider } from './provider-store';
import { DomainError } from '~/server/lib/errors';
import type { CachedProviderCatalog } from './schema';

type ProviderRead = CacheRead<CachedProviderCatalog> & { gen?: string };

export function createReadThrough(ctx: CacheContext, tier: ProcessTier | null = null) {
  /** Per provider, the read in flight and its place in the order reads began (`mark`). */
  const flights = new Map<string, { read: Promise<ProviderRead>; seq: number }>();
  let begun = 0;
  const background = new Set<Promise<unknown>>();

  /**
   * The in-process copy if the tier holds a fresh one; else one reader per process per provider,
   * concurrent callers sharing its answer, which the tier keeps if nothing was announced meanwhile.
   */
  function getProvider(name: string): Promise<ProviderRead> {
    const held = tier?.get<CachedProviderCatalog>(providerEntry(name));
    if (held) return Promise.resolve({ catalog: held, cache: 'HIT', tier: 'process' });
    return flights.get(name)?.read ?? fly(name);
  }

  /** A point in the order reads begin: `fromRedis(name, mark())` joins only reads begun after it. */
  const mark = () => begun;

  /**
   * For a full catalog that may be stored (full-catalog.ts): never the in-process copy (this process
   * may not have heard of a job that dropped it yet), and a shared read only if it began after
   * `since`, so the answer was read from Redis (or fetched) after the caller's own miss.
   */
  function fromRedis(name: string, since: number): Promise<ProviderRead> {
    const flight = flights.get(name);
    return flight && flight.seq > since ? flight.read : fly(name);
  }

  function fly(name: string): Promise<ProviderRead> {
    const ticket = tier?.begin(providerEntry(name));
    const read = readThrough(name)
      .then((answer) => {
        if (ticket && answer.gen !== undefined && !answer.held && (answer.cache === 'HIT' || (answer.cache === 'MISS' && !answer.fenced))) tier?.put(ticket, answer.catalog, answer.gen, name);
        return answer;
      })
      .finally(() => {
        if (flights.get(name)?.read === read) flights.delete(name);
      });
    flights.set(name, { read, seq: (begun += 1) });
    return read;
  }

  /** An announcement named the provider: later callers must not join a read that began before it. */
  const forget = (name: string) => flights.delete(name);

  async function readThrough(name: string): Promise<ProviderRead> {
    const token = newToken();
    let read = await readProvider(ctx.redis, ctx.providerKeys(name), token, ctx.leaseMs);
    const deadline = ctx.now() + ctx.waitMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 100)) {
      const cached = read.catalog;
      if (cached && read.state === 'hit') return { catalog: cached, cache: 'HIT', gen: read.gen, ...(read.held ? { held: true } : {}) };
      if (cached) {
        // Soft-invalidated: serve the old copy at cache speed; the lease holder refreshes it.
        if (read.leased) track(refreshStale(name, read.gen, token, read.basis ?? null));
        return { catalog: cached, cache: 'STALE', ...(read.held ? { held: true } : {}) };
      }
      if (read.leased || ctx.now() >= deadline) break;
      // Another reader (here or on another instance) holds the lease: wait for its write.
      await sleep(delay);
      read = await readProvider(ctx.redis, ctx.providerKeys(name), token, ctx.leaseMs);
    }
    const catalog = await ctx.loadFromSource(name);
    const outcome = await publishProvider(ctx, catalog, read.gen, read.leased ? token : '', read.basis ?? null);
    if (outcome.kind === 'held') {
      // The guard held this answer: the reader gets the last published catalog (re-stored through
      // the fence when a delete had removed it), flagged; never the held one.
      if (!outcome.served) throw new DomainError('UNAVAILABLE', `The catalog of ${name} is held for review (${outcome.breaches.slice(0, 3).join('; ')}) and none was published before`);
      return { catalog: outcome.served, cache: 'MISS', held: true };
    }
    return { catalog: outcome.served, cache: 'MISS', gen: read.gen, ...(outcome.kind === 'fenced' ? { fenced: true } : {}) };
  }

  /**
   * A stale provider's one refresh. On a source error the lease is kept until it expires, so a
   * provider whose API is down is asked at most once per lease period, and the stale copy stays.
   */
  async function refreshStale(name: string, gen: string, token: string, basis: CachedProviderCatalog | null): Promise<void> {
    try {
      await publishProvider(ctx, await ctx.loadFromSource(name), gen, token, basis);
    } catch (err) {
      ctx.log?.warn({ provider: name, err }, 'refreshing a stale provider failed; serving the stale copy');
    }
  }

  function track(work: Promise<unknown>): void {
    background.add(work);
    void work.finally(() => background.delete(work));
  }

  /** Resolves when every background refresh started so far has settled (shutdown, tests). */
  const settled = async () => {
    while (background.size) await Promise.allSettled([...background]);
  };

  return { getProvider, fromRedis, mark, forget, settled };
}
