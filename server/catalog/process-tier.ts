/**
 * The process tier: recently read provider catalogs and the full catalog, in this process's
 * memory in front of Redis and the fences. A hit costs no round trip. Bounded by `lru-cache`, by
 * entries and by bytes (the JSON length of each copy).
 *
 * What keeps a copy honest (its guarantee, stated as a number in docs/how-it-works.md):
 * - Announcements (clients/node/instance-client.ts): a job's deletions name each provider with the
 *   generation its batch left. A copy read at an older generation is dropped before the ack; the
 *   full catalog is dropped on every announcement.
 * - A read stores its answer only if nothing was announced for that key, and the channel was not
 *   lost, since the read began (`begin` → `put`): a read that raced a job cannot outlive it.
 * - No hit at all while the channel is not healthy (subscriber down, or its PING unanswered): the
 *   copies are dropped when it is lost and the tier refills only after it is proven back.
 * - A gap in a provider's sequence (a generation skipped: an announcement this process never saw)
 *   drops every copy: a lost message for one provider means others may be lost too.
 * - Every copy has a maximum age (`maxAgeMs`, PROCESS_TIER_MAX_AGE_MS), counted from when its read began:
 *   whatever the above misses, nothing older is served.
 */
import 'server-only';
import { LRUCache } from 'lru-cache';
import type { Announcement } from '~/clients/node/instance-protocol';

/** What the tier asks of the invalidation channel. */
export interface TierChannel {
  healthy(): boolean;
  epoch(): number;
}

export interface ProcessTierOptions {
  /** 0 disables the tier (every read goes to Redis). */
  maxEntries: number;
  maxBytes: number;
  maxAgeMs: number;
  now?: () => number;
  /** A sequence gap was seen for `provider` (null: the global catalog); every copy was dropped. */
  onGap?: (provider: string | null) => void;
}

interface Entry {
  value: unknown;
  gen: number;
  readAt: number;
}

/** Taken when a read begins; `put` refuses the answer if anything changed since. */
export interface ReadTicket {
  key: string;
  startedAt: number;
  epoch: number;
  flushes: number;
  version: number;
  healthy: boolean;
}

export const FULL = 'full';
export const providerEntry = (name: string) => `p:${name}`;

export type ProcessTier = ReturnType<typeof createProcessTier>;

export function createProcessTier(options: ProcessTierOptions, channel: TierChannel | null = null) {
  const { maxAgeMs, now = Date.now } = options;
  const enabled = options.maxEntries > 0;
  const cache = new LRUCache<string, Entry>({
    max: Math.max(1, options.maxEntries),
    maxSize: Math.max(1, options.maxBytes),
    sizeCalculation: (_e, key) => sizes.get(key) ?? 1,
  });
  const sizes = new Map<string, number>();
  /** Per key: announcements applied (a read that began before one must not store). */
  const versions = new Map<string, number>();
  /** Per provider (null: global): the highest generation seen, from reads and announcements. */
  const known = new Map<string | null, number>();
  let flushes = 0;
  let source: TierChannel | null = channel;

  const bump = (key: string) => versions.set(key, (versions.get(key) ?? 0) + 1);
  const live = () => enabled && source !== null && source.healthy();

  function flush(): void {
    cache.clear();
    sizes.clear();
    flushes += 1;
  }

  /** Records a generation; true if it skipped one this process should have seen announced. */
  function see(provider: string | null, gen: number, announced: boolean): boolean {
    const before = known.get(provider);
    if (before === undefined || gen > before) known.set(provider, gen);
    return announced && before !== undefined && gen > before + 1;
  }

  return {
    enabled,
    /** Attaches the channel (the composition root builds it after the cache). */
    attach(next: TierChannel): void {
      source = next;
      flush();
    },
    get<T>(key: string): T | null {
      if (!live()) return null;
      const entry = cache.get(key);
      if (!entry) return null;
      if (now() - entry.readAt > maxAgeMs) {
        cache.delete(key);
        return null;
      }
      return entry.value as T;
    },
    begin(key: string): ReadTicket {
      return { key, startedAt: now(), epoch: source?.epoch() ?? -1, flushes, version: versions.get(key) ?? 0, healthy: live() };
    },
    /** Stores a copy read under `ticket` at generation `gen`, unless anything changed since the read began. */
    put(ticket: ReadTicket, value: unknown, gen: string, provider: string | null): boolean {
      if (!ticket.healthy || !live() || source?.epoch() !== ticket.epoch || flushes !== ticket.flushes) return false;
      if ((versions.get(ticket.key) ?? 0) !== ticket.version) return false;
      const generation = Number(gen);
      if (generation < (known.get(provider) ?? 0)) return false;
      see(provider, generation, false);
      sizes.set(ticket.key, JSON.stringify(value).length);
      cache.set(ticket.key, { value, gen: generation, readAt: ticket.startedAt });
      return true;
    },
    /** Drops what an announcement names (before its ack). */
    apply(a: Announcement): void {
      let gap = false;
      for (const [provider, seq] of Object.entries(a.providers)) {
        const generation = Number(seq);
        if (see(provider, generation, true)) {
          gap = true;
          options.onGap?.(provider);
        }
        const key = providerEntry(provider);
        bump(key);
        const entry = cache.peek(key);
        if (entry && entry.gen < generation) cache.delete(key);
      }
      if (a.global !== null && see(null, Number(a.global), true)) {
        gap = true;
        options.onGap?.(null);
      }
      bump(FULL);
      cache.delete(FULL);
      if (gap) flush();
    },
    /** A provider's copy changed in Redis without an invalidation (an approval, overrides): drop this process's copy and the full catalog. */
    drop(provider: string): void {
      for (const key of [providerEntry(provider), FULL]) {
        bump(key);
        cache.delete(key);
      }
    },
    /** The channel was lost: drop everything. */
    flush,
    holdings: () => ({ entries: cache.size, bytes: cache.calculatedSize }),
  };
}
