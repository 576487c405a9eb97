/**
 * Issue 22, item 1 (the cluster project only): a cascade job's deletions reach the nodes in
 * parallel, one pipeline per node. The job's connection to the node of a provider's slot is held
 * by its proxy while the other nodes answer; a reader that misses the full catalog in that window
 * must not rebuild it from the provider copy still there. Before the fix the `{global}` node ran
 * its INCR and UNLINK at once, the reader stored the full catalog at the new generation from the
 * old copy, and the withdrawn model was back for an hour after the job completed.
 */
import calculateSlot from 'cluster-key-slot';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleModels, startModelSource, type ModelSource } from '~/scripts/lib/model-source';
import { registryFromConfig } from '~/server/catalog/sources/registry';
import { mastersOf } from '~/server/redis/cluster';
import { meetEveryNode, startProxy, type TestProxy } from '../../support/proxy';
import { client, closeAll, harness } from '../../support/redis';
import { until } from '../../support/until';

const actor = { kind: 'token' as const, label: 'withdrawn-model test' };
const WITHDRAWN = 'WITHDRAWN-MODEL';
/** Whether a stored or served catalog names the withdrawn model (a boolean, not the catalog, in a failure). */
const withdrawn = (catalog: unknown) => (typeof catalog === 'string' ? catalog : JSON.stringify(catalog ?? '')).includes(WITHDRAWN);

let source: ModelSource;
let proxy: TestProxy;
beforeAll(async () => {
  source = await startModelSource();
  proxy = await startProxy();
});
afterAll(async () => {
  await closeAll();
  await proxy?.close();
  await source?.close();
});

describe('a cascade job on a cluster, one node slow', () => {
  it('a reader in the gap does not bring a withdrawn model back into the full catalog', async () => {
    const registry = () => registryFromConfig(source.config(['groq']));
    source.set('groq', { models: [...sampleModels('groq', 1), { id: WITHDRAWN, context_length: 4096 }] });
    const job = harness({ registry: registry(), catalogVia: proxy }); // its deletions go through the proxies
    const reader = harness({ registry: registry(), ns: job.ns }); // another instance, straight to the nodes
    const redis = client() as Cluster;
    const keys = job.keys.catalog;
    await mastersOf(redis);
    const owner = (key: string) => redis.slots[calculateSlot(key)]?.[0] as string;
    const slow = proxy.nodes.get(owner(keys.providerModels('groq')));
    expect(owner(keys.providerModels('groq'))).not.toBe(owner(keys.fullCatalog));
    expect(slow).toBeDefined();

    await reader.cache.seed();
    await reader.cache.getFull();
    expect(withdrawn(await redis.get(keys.fullCatalog))).toBe(true);
    source.set('groq', { models: sampleModels('groq', 1) }); // withdrawn at the source

    await meetEveryNode(job.catalogRedis);
    slow?.pause();
    const { jobId } = await job.invalidation.start({ providers: ['groq'], cascade: true, cacheType: 'models' }, actor);
    // The job's batch reached groq's node and waits there; every other node answered what it was sent.
    await until(() => {
      expect(slow?.awaiting()).toBe(1);
      expect(proxy.awaiting()).toBe(1);
    });
    await reader.cache.getFull(); // a read in the gap (it may miss the full catalog, or still hit the old one)
    slow?.resume();

    await until(async () => expect((await job.invalidation.get(jobId)).status).toBe('completed'));
    expect(withdrawn(await redis.get(keys.fullCatalog)), 'the full catalog stored in Redis after the job').toBe(false);
    expect(withdrawn((await reader.cache.getFull()).catalog), 'a full read after the job').toBe(false);
    expect(withdrawn(await redis.get(keys.fullCatalog)), 'the full catalog that read stored').toBe(false);
  });
});
