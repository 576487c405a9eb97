/** instances.list through createCaller: every live participant with what it reported, this one marked. */
import { afterAll, describe, expect, it } from 'vitest';
import { createCaller } from '~/server/trpc/root';
import { viewerAccount } from '../../support/principals';
import { closeAll, harness } from '../../support/redis';
import { until } from '../../support/until';

afterAll(closeAll);

const env = { INSTANCE_HEARTBEAT_MS: '50', INSTANCE_TTL_MS: '5000', PROCESS_TIER_MAX_AGE_MS: '60000' };

describe('instances.list', () => {
  it('lists both live instances with version, start, heartbeat and copies held, marking the one that answers', async () => {
    const a = harness({ env, instanceId: 'a' });
    const b = harness({ env, ns: a.ns, instanceId: 'b' });
    try {
      const caller = createCaller({ services: a, actor: viewerAccount });
      expect(await caller.instances.list()).toEqual({ self: a.presence.id, instances: [] });
      await Promise.all([a.presence.start(), b.presence.start()]);
      await b.cache.seed(['groq', 'xai']);
      // b's tier fills on reads; its next heartbeat reports the copies.
      await until(async () => expect((await b.cache.getProvider('groq')).tier).toBe('process'));
      await until(async () => expect((await b.cache.getProvider('xai')).tier).toBe('process'));
      await until(async () => {
        const { instances } = await caller.instances.list();
        expect(instances.find((i) => i.id === b.presence.id)?.entries).toBe(2);
      });
      const { self, instances } = await caller.instances.list();
      expect(self).toBe(a.presence.id);
      expect(instances.map((i) => i.id).sort()).toEqual([a.presence.id, b.presence.id].sort());
      expect(instances.filter((i) => i.self).map((i) => i.id)).toEqual([a.presence.id]);
      for (const i of instances) {
        expect(i).toMatchObject({ kind: 'app', version: expect.any(String), since: expect.any(Number), heartbeatAt: expect.any(Number) });
        expect(i.heartbeatAt).toBeGreaterThanOrEqual(i.since);
      }
      expect(instances.find((i) => i.id === a.presence.id)?.entries).toBe(0);
      // Seen from b, b is the one marked.
      const fromB = await createCaller({ services: b, actor: viewerAccount }).instances.list();
      expect(fromB.instances.filter((i) => i.self).map((i) => i.id)).toEqual([b.presence.id]);
      // One that stops is no longer listed (it leaves the registry on stop, or ages out).
      await b.presence.stop();
      await until(async () => expect((await caller.instances.list()).instances.map((i) => i.id)).toEqual([a.presence.id]));
    } finally {
      await Promise.all([a.shutdown(0), b.shutdown(0)]);
    }
  });
});
