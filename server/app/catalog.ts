/**
 * The catalog cache (fenced rebuilds, the in-process tier) and this instance's place in the
 * confirmation protocol: registered, heartbeating, one invalidation subscriber that empties the
 * tier on every announcement and on a lost channel.
 */
import 'server-only';
import { createCatalogCache, type CatalogCacheDeps, type Judge, type Overlay } from '~/server/catalog/cache';
import { createPresence, presenceConfig } from '~/server/instances/presence';
import type { Base, Lifecycle } from './base';
import type { Live } from './live';

export function wireCatalog(base: Base, { activity }: Live, guard: { judge?: Judge; inspect?: Judge; overlay?: Overlay } = {}, onCatalogEvent?: CatalogCacheDeps['onCatalogEvent']) {
  const { adminRedis, catalogRedis, keys, registry, env, log, metrics, instanceId, clock, startedAt = Date.now() } = base;
  const cache = createCatalogCache({
    redis: catalogRedis,
    keys: keys.catalog,
    registry,
    ttlSeconds: env.CATALOG_TTL_SECONDS,
    leaseMs: env.REBUILD_LEASE_MS,
    waitMs: env.REBUILD_WAIT_MS,
    onChange: (change) => {
      if (change.reason === 'held' && change.providers !== 'all') for (const provider of change.providers) metrics.candidateHeld(provider);
      activity.publish({ kind: 'catalog', at: Date.now(), ...change });
    },
    onFenced: metrics.writeFenced,
    log: log.child({ component: 'catalog' }),
    judge: guard.judge,
    inspect: guard.inspect,
    overlay: guard.overlay,
    history: { retentionMs: env.CATALOG_HISTORY_DAYS * 86_400_000, now: clock },
    onCatalogEvent,
    tier: { maxEntries: env.PROCESS_TIER_MAX_ENTRIES, maxBytes: env.PROCESS_TIER_MAX_BYTES, maxAgeMs: env.PROCESS_TIER_MAX_AGE_MS, onGap: () => metrics.tierFlushed('sequence_gap') },
  });
  const presence = createPresence({
    redis: adminRedis,
    keys: keys.admin.instances,
    // host:pid (the id leases and logs use) and the start time: unique across restarts of one pid.
    identity: { id: `${instanceId}:${startedAt.toString(36)}`, kind: 'app', version: env.APP_VERSION ?? env.npm_package_version ?? 'unknown', since: startedAt },
    config: presenceConfig(env),
    onInvalidate: cache.applyAnnouncement,
    onIgnored: metrics.channelMessageIgnored,
    onLost: () => {
      cache.flushTier();
      metrics.tierFlushed('channel_lost');
    },
    holdings: () => {
      const held = cache.holdings();
      metrics.tierHoldings(held);
      return held;
    },
    log: log.child({ component: 'instances' }),
  });
  cache.tier?.attach(presence.channel);
  metrics.watchUnpriced(cache.state);
  const lifecycle: Lifecycle = {
    // Registers and subscribes to invalidations: the in-process tier serves hits only once this holds.
    start: () => void presence.start().catch((err: unknown) => log.error({ err }, 'could not join the invalidation channel; reads go to Redis until it is back')),
    // After the jobs: the rebuilds in flight settle, then the instance leaves the protocol.
    shutdown: async () => {
      await cache.settled();
      await presence.stop();
    },
  };
  return { cache, presence, lifecycle };
}

export type Catalog = ReturnType<typeof wireCatalog>;
