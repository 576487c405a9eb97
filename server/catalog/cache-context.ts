/**
 * What every part of the catalog cache shares: the connection, the keys, the sources, the TTL with
 * its jitter, the lease and wait bounds, the clock, and the read path's verified fetch.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { randomBytes } from 'node:crypto';
import type { CatalogActivity } from '~/server/activity/schema';
import { DomainError } from '~/server/lib/errors';
import type { Logger } from '~/server/log/logger';
import type { CatalogKeys } from '~/server/redis/keys';
import type { ProviderKeySet } from './fence';
import type { ProcessTierOptions } from './process-tier';
import type { ProviderRegistry } from './sources/registry';
import type { CachedProviderCatalog, ProviderCatalog } from './schema';
import { changeKeysOf } from './history/log';
import type { CatalogEvent } from './history/schema';
import { AnswerRejected, fetchVerified } from './sources/verified-fetch';

export interface CatalogCacheDeps {
  redis: RedisClient;
  keys: CatalogKeys;
  registry: ProviderRegistry;
  ttlSeconds: number;
  /** How long a rebuild lease lasts: a crashed holder blocks the others at most this long. */
  leaseMs: number;
  /** How long a reader waits for another's rebuild before fetching itself (its write is fenced too). */
  waitMs: number;
  now?: () => number;
  random?: () => number;
  /** Told after the cache wrote providers (a rebuild on a miss, a seed): live views refresh. */
  onChange?: (change: Omit<CatalogActivity, 'kind' | 'at'>) => void;
  /** Told when the fence refused a rebuilt value (metrics). */
  onFenced?: (kind: 'provider' | 'full') => void;
  log?: Logger;
  /**
   * The catalog guard (server/guard/ wires it): asked before every write from a source whether the
   * candidate may be published over `basis` (the last published copy). Without it, all are.
   */
  judge?: Judge;
  /**
   * Per-model overrides (server/guard/overrides.ts wires them): what readers get of a source's
   * catalog. Applied to every copy the cache stores for readers; the last published copy (the
   * guard's basis) and a held candidate stay as the source answered. Without it, nothing is changed.
   */
  overlay?: Overlay;
  /**
   * The same rules, for a cached copy this app did not publish (cache-state.ts flags a gateway's own
   * write): asked only when the cached copy differs from what this app would serve (the last
   * published copy with the overrides applied); counts nothing.
   */
  inspect?: Judge;
  /**
   * The catalog's own history (history/log.ts): how long it keeps a change, and the clock its
   * entries are stamped and trimmed by (the app's clock; tests pin it). Without it, a year by Date.now.
   */
  history?: { retentionMs: number; now?: () => number };
  /** Told after a publication that changed something, and after a hold (the catalog webhooks). */
  onCatalogEvent?: (event: CatalogEvent) => void;
  /** The process tier's bounds (process-tier.ts); without them, or with maxEntries 0, every read goes to Redis. */
  tier?: ProcessTierOptions;
}

/** The guard's answer: the broken rules whose action is `hold` (none: publish) and those that only alert, in words. */
export interface Verdict {
  hold: string[];
  alerts: string[];
}

/** What readers get of a source's catalog; `warm` as `Judge.warm`, for the overrides this instance keeps. */
export type Overlay = ((catalog: CachedProviderCatalog) => Promise<CachedProviderCatalog>) & { warm?(): void };

export type Judge = ((provider: string, basis: ProviderCatalog | null, candidate: CachedProviderCatalog) => Promise<Verdict>) & {
  /**
   * Starts reading what the judge needs (the policy, when this instance's copy is old), without
   * waiting: called before a source is fetched, so that read overlaps the fetch instead of
   * delaying the write after it.
   */
  warm?(): void;
};

export interface FullCatalog {
  builtAt: number;
  providers: CachedProviderCatalog[];
  /**
   * Providers whose newer candidate the catalog guard held when this was assembled (their last
   * published catalog is in `providers`); absent when none. A hold after the assembly shows at
   * the next one (a refresh's cascade drops the full catalog).
   */
  held?: string[];
}

/** HIT: fresh from Redis. STALE: soft-invalidated, served while one rebuild runs. MISS: fetched from the source. */
export type CacheStatus = 'HIT' | 'STALE' | 'MISS';

export interface CacheRead<T> {
  catalog: T;
  cache: CacheStatus;
  /** A MISS whose write the fence refused: an invalidation ran while it was fetched. */
  fenced?: boolean;
  /** Served from this process's memory (the process tier): no Redis round trip. */
  tier?: 'process';
  /** The guard holds a newer candidate: this is the last published catalog. */
  held?: boolean;
}

export type CacheContext = ReturnType<typeof createCacheContext>;

export function createCacheContext({ redis, keys, registry, ttlSeconds, leaseMs, waitMs, now = Date.now, random = Math.random, onChange = () => {}, onFenced = () => {}, log, judge, inspect, overlay, history, onCatalogEvent = () => {} }: CatalogCacheDeps) {
  /** ±10 %, so providers cached together do not expire together. */
  const ttlMs = () => Math.round(ttlSeconds * 1000 * (0.9 + 0.2 * random()));
  const providerKeys = (name: string): ProviderKeySet => ({
    models: keys.providerModels(name),
    pricing: keys.providerPricing(name),
    gen: keys.providerGeneration(name),
    lease: keys.providerLease(name),
    published: keys.providerPublished(name),
    held: keys.providerHeld(name),
    ...changeKeysOf((kind) => keys.providerChanges(name, kind)),
  });
  const changes = { retentionMs: history?.retentionMs ?? 365 * 86_400_000, now: history?.now ?? Date.now };

  /**
   * Starts the reads a write from a source needs (the policy, the overrides; each only when this
   * instance's copy is old), without waiting: called before a fetch, so they overlap it.
   */
  const warm = () => {
    judge?.warm?.();
    overlay?.warm?.();
  };

  /**
   * A provider's catalog through the verified fetch (verified-fetch.ts): an empty or malformed
   * answer is refused, so no rebuild ever replaces a catalog with nothing. A failing source is a 503
   * in words for the reader, and a stale copy stays served.
   */
  async function loadFromSource(name: string): Promise<CachedProviderCatalog> {
    const source = registry.get(name);
    if (!source) throw new Error(`unknown provider ${name}`);
    warm();
    return fetchVerified(source, now).catch((err: unknown) => {
      if (err instanceof AnswerRejected) throw new DomainError('UNAVAILABLE', `The source of ${name} answered badly: ${err.reason}`);
      throw new DomainError('UNAVAILABLE', `The source of ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  /** What readers get of a source's catalog: the overrides applied (the one place every stored copy goes through). */
  const serve = (catalog: CachedProviderCatalog): Promise<CachedProviderCatalog> => (overlay ? overlay(catalog) : Promise.resolve(catalog));

  return { redis, keys, registry, leaseMs, waitMs, now, onChange, onFenced, log, judge, inspect, serve, warm, ttlMs, providerKeys, loadFromSource, changes, onCatalogEvent };
}

export const newToken = () => randomBytes(9).toString('base64url');
