/**
 * Confirmations on a cluster (the cluster project only): no MULTI spans the batch's slots, so the
 * live set is not read with the batch; the announcement's own MULTI (in the `{instances}` slot,
 * its PUBLISH heard cluster-wide) reads it instead. Two instances: both confirm; one alone: itself.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeAll, harness, runToEnd } from '../../support/redis';

afterAll(closeAll);

const env = { INSTANCE_HEARTBEAT_MS: '50', INSTANCE_TTL_MS: '5000', INSTANCE_CONFIRM_TIMEOUT_MS: '2000' };

describe('confirmed invalidations on a cluster', () => {
  it('2 of 2 confirm; then, alone, 1 of 1', async () => {
    const a = harness({ env, instanceId: 'a' });
    const b = harness({ env, ns: a.ns, instanceId: 'b' });
    let bUp = true;
    try {
      await Promise.all([a.presence.start(), b.presence.start()]);
      const job = await runToEnd(a, ['groq', 'xai']);
      expect(job).toMatchObject({ status: 'completed', result: { providersInvalidated: 2, instances: { confirmed: 2, total: 2, missing: [] } } });
      bUp = false;
      await b.shutdown(0);
      const alone = await runToEnd(a, ['groq']);
      expect(alone.result?.instances).toEqual({ confirmed: 1, total: 1, missing: [] });
    } finally {
      await Promise.all([a.shutdown(0), bUp ? b.shutdown(0) : undefined]);
    }
  });
});
