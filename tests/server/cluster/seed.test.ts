/**
 * The embedded start's seed on a cluster (the cluster project only): with REDIS_CLUSTER_NODES it
 * connects to the cluster as the app does, fills an empty catalog (its keys spread over the nodes),
 * and leaves one that has data alone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { seedIfEmpty } from '~/scripts/lib/seed';
import { envSchema } from '~/server/env';
import { catalogKeys } from '~/server/redis/keys';
import { client, closeAll, clusterNodes, keysUnder, namespace, onCluster } from '../../support/redis';

afterAll(closeAll);

describe('seeding a cluster', () => {
  it('fills an empty catalog on every node it spans, then never overwrites it', async () => {
    expect(onCluster()).toBe(true);
    const ns = namespace();
    const env = envSchema.parse({ ADMIN_TOKEN: 'seed-test-admin-token-0123456789', REDIS_CLUSTER_NODES: clusterNodes(), CATALOG_PREFIX: ns.catalogPrefix, ADMIN_PREFIX: ns.adminPrefix });
    const seeded = await seedIfEmpty(env);
    expect(seeded).toBeGreaterThan(1);
    const redis = client();
    const keys = catalogKeys(ns.catalogPrefix);
    const stored = await keysUnder(redis, ns.catalogPrefix);
    expect(stored).toEqual(expect.arrayContaining([keys.fullCatalog, keys.providerList, keys.pricing, keys.providerModels('groq'), keys.providerPricing('xai')]));
    expect(stored.filter((k) => k.endsWith(':models'))).toHaveLength(seeded);
    // Already cached: left alone (a live gateway's catalog is never overwritten).
    await redis.set(keys.providerPricing('groq'), 'the gateway\'s own');
    expect(await seedIfEmpty(env)).toBe(0);
    expect(await redis.get(keys.providerPricing('groq'))).toBe('the gateway\'s own');
  });
});
