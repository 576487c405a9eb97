/**
 * A resharding during a job (the cluster project only): the slot holding a provider's keys moves
 * to another master behind the app's back (CLUSTER SETSLOT IMPORTING/MIGRATING, MIGRATE, SETSLOT
 * NODE on every master), so the job's reads and deletions meet MOVED, or, with the slot left
 * half-migrated, ASK. The job completes with the exact count, nothing of the scope is left, and the
 * lookalikes in the very same slot survive. The slot stays on its new master afterwards (its hash
 * tag is this test's own, so no other suite has keys in it unless by chance of hashing).
 */
import calculateSlot from 'cluster-key-slot';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { KeyTemplates } from '~/server/layout/key-templates';
import type { RedisClient } from '~/server/redis/connection';
import { client, closeAll, collectEvents, harness, keysUnder, namespace, onCluster } from '../../support/redis';
import { until } from '../../support/until';

afterAll(closeAll);

const actor = { kind: 'token' as const, label: 'reshard test' };
const MODELS = 300;

/** A gateway layout whose keys of one provider share one slot: `{<id><provider>}`. */
const layout = (gw: string, tag: string): KeyTemplates => ({
  providerModels: `${gw}{${tag}$provider}:models`,
  providerPricing: `${gw}{${tag}$provider}:pricing`,
  fullCatalog: `${gw}models:all`,
  providerList: `${gw}providers`,
  globalPricing: `${gw}pricing:all`,
  modelKey: `${gw}{${tag}$provider}:model:$model`,
  modelIndex: `${gw}{${tag}$provider}:ids`,
});

const masters = (redis: RedisClient) => (redis as Cluster).nodes('master');
const address = (node: Redis) => `${node.options.host}:${node.options.port}`;

/** Who owns `slot`, asked of the nodes themselves (not a client's cache). */
async function ownerOf(redis: RedisClient, slot: number): Promise<Redis> {
  const node = masters(redis)[0] as Redis;
  const ranges = (await node.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
  const range = ranges.find(([from, to]) => slot >= from && slot <= to);
  const owner = masters(redis).find((m) => range && address(m) === `${range[2][0]}:${range[2][1]}`);
  if (!owner) throw new Error(`no master owns slot ${slot}`);
  return owner;
}

/** Starts moving `slot` from `src` to `dst` and migrates `share` of its keys (1: all of them). */
async function beginMove(slot: number, src: Redis, dst: Redis, share: number): Promise<void> {
  const [srcId, dstId] = await Promise.all([src.call('CLUSTER', 'MYID'), dst.call('CLUSTER', 'MYID')]);
  await dst.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', String(srcId));
  await src.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', String(dstId));
  const count = Number(await src.call('CLUSTER', 'COUNTKEYSINSLOT', slot));
  let toMove = Math.ceil(count * share);
  while (toMove > 0) {
    const keys = (await src.call('CLUSTER', 'GETKEYSINSLOT', slot, Math.min(toMove, 500))) as string[];
    if (!keys.length) break;
    await src.call('MIGRATE', String(dst.options.host), String(dst.options.port), '', 0, 5000, 'KEYS', ...keys);
    toMove -= keys.length;
  }
}

/** Ends a move: every key still on `src` goes too, then every master is told `dst` owns the slot. */
async function finishMove(redis: RedisClient, slot: number, src: Redis, dst: Redis): Promise<void> {
  await beginMove(slot, src, dst, 1).catch(async (err: unknown) => {
    // Already importing/migrating (a half-done move): migrate the rest.
    if (!/already|importing|migrating/i.test(String(err))) throw err;
  });
  for (;;) {
    const keys = (await src.call('CLUSTER', 'GETKEYSINSLOT', slot, 500)) as string[];
    if (!keys.length) break;
    await src.call('MIGRATE', String(dst.options.host), String(dst.options.port), '', 0, 5000, 'KEYS', ...keys);
  }
  const dstId = String(await dst.call('CLUSTER', 'MYID'));
  // The target first, then the others (the source last), as redis-cli does.
  for (const node of [dst, ...masters(redis).filter((m) => m !== dst && m !== src), src]) await node.call('CLUSTER', 'SETSLOT', slot, 'NODE', dstId);
  // Every master agrees before anything else moves the slot: a node that hears an older claim by
  // gossip after the move back would take the slot from its owner, and the owner deletes its keys
  // in it (seen with the other suites loading the cluster). A master that a claim still in flight
  // turned back is told again, as \`redis-cli --cluster fix\` does, until none disagrees.
  await until(async () => {
    for (const node of masters(redis)) {
      if ((await ownerSeenBy(node, slot)) !== address(dst)) await node.call('CLUSTER', 'SETSLOT', slot, 'NODE', dstId);
    }
    for (const node of masters(redis)) expect(await ownerSeenBy(node, slot)).toBe(address(dst));
  }, { timeout: 20_000, interval: 100 });
}

async function ownerSeenBy(node: Redis, slot: number): Promise<string | null> {
  const ranges = (await node.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
  const range = ranges.find(([from, to]) => slot >= from && slot <= to);
  return range ? `${range[2][0]}:${range[2][1]}` : null;
}

async function seed(redis: RedisClient, gw: string, tag: string, providers: string[]) {
  const ops: [string, string][] = [];
  for (const p of providers) {
    const base = `${gw}{${tag}${p}}`;
    ops.push([`${base}:models`, '{"data":[]}'], [`${base}:pricing`, '{}']);
    for (let i = 0; i < MODELS; i++) ops.push([`${base}:model:m-${i}`, `{"id":"m-${i}"}`]);
    await redis.sadd(`${base}:ids`, ...Array.from({ length: MODELS }, (_, i) => `m-${i}`));
  }
  ops.push([`${gw}models:all`, '[]'], [`${gw}providers`, '[]']);
  // Lookalikes, two of them in the moved slot itself.
  const lookalikes = [`${gw}{${tag}groq}:models:backup`, `${gw}{${tag}groq}:model`, `${gw}{${tag}groq2}:model:m-1`, `${gw}models:groq`];
  for (const key of lookalikes) ops.push([key, 'keep']);
  for (const [key, value] of ops) await redis.set(key, value);
  return lookalikes;
}

describe('a resharding during a job, on the 3-master cluster', () => {
  it('runs on the cluster project', () => expect(onCluster()).toBe(true));

  for (const [name, share] of [['MOVED (the slot moved whole)', 1], ['ASK (the slot half-migrated)', 0.5]] as const) {
    it(`completes with the exact count when the provider's slot meets ${name}`, async () => {
      const ns = namespace();
      const gw = `t${ns.id}:gw:`;
      const tag = `rs${ns.id}`;
      const h = harness({ ns, env: { CATALOG_KEYS: JSON.stringify(layout(gw, tag)), INVALIDATION_BATCH_KEYS: '100' } });
      const redis = client();
      await redis.ping();
      const lookalikes = await seed(redis, gw, tag, ['groq', 'xai']);
      // The app's connections learn the topology now, before the move: their slot map goes stale.
      await Promise.all([h.catalogRedis.ping(), h.adminRedis.ping()]);
      const slot = calculateSlot(`${tag}groq`);
      const src = await ownerOf(redis, slot);
      const dst = masters(redis).find((m) => m !== src) as Redis;
      await beginMove(slot, src, dst, share);
      if (share === 1) await finishMove(redis, slot, src, dst);
      try {
        const { jobId } = await h.invalidation.start({ providers: ['groq', 'xai'], cacheType: 'all', cascade: true, mode: 'delete' }, actor);
        await h.runner.drain();
        const done = (await collectEvents(h, jobId)).at(-1)?.event;
        // Per provider: its models, pricing and index keys and its per-model keys; plus the full catalog, the list, global pricing (none seeded).
        expect(done, JSON.stringify(done)).toMatchObject({ type: 'completed', result: { success: true, providersInvalidated: 2, keysDeleted: 2 * (MODELS + 3) + 2 } });
      } finally {
        // Finish a half-done move. The slot stays with its new owner: its hash tag is this test's
        // own, and a second move (back) is where a claim still in flight by gossip can take the slot
        // from its owner, which then drops its keys (seen twice under CI's load).
        if (share !== 1) await finishMove(redis, slot, src, dst);
      }
      const left = (await keysUnder(redis, gw)).sort();
      expect(left).toEqual([...lookalikes].sort());
      expect(Number(await dst.call('CLUSTER', 'COUNTKEYSINSLOT', slot))).toBeGreaterThan(0);
    });
  }
});
