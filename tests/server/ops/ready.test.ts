/** Readiness: ready while both Redis connections answer and jobs are accepted; not ready, in words, otherwise. */
import { afterAll, describe, expect, it } from 'vitest';
import { closeAll, harness } from '../../support/redis';

afterAll(closeAll);

describe('readiness', () => {
  it('is ready on a live instance and not while it shuts down', async () => {
    const h = harness();
    expect(await h.readiness()).toEqual({ ready: true, reasons: [], redis: { admin: 'up', catalog: 'up' }, accepting: true });
    await h.shutdown(0);
    expect(await h.readiness()).toMatchObject({ ready: false, accepting: false, reasons: ['shutting down: this instance accepts no new jobs'] });
  });

  it('is not ready when the catalog Redis does not answer', async () => {
    const h = harness({ catalogUrl: 'redis://127.0.0.1:1' });
    expect(await h.readiness()).toMatchObject({ ready: false, redis: { admin: 'up', catalog: 'down' }, reasons: ['the catalog Redis does not answer'] });
    await h.shutdown(0);
  });
});
