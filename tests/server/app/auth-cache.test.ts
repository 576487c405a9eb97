/**
 * The composition root's memory of callers: a remembered credential costs no Redis round trip, and
 * anything that ends it reaches this instance at once and every other instance over the activity
 * channel (AUTH_CACHE_MS is set far beyond the test's wait, so only the announcement can explain it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startRedisProxy } from '~/scripts/lib/redis-proxy';
import { bootstrapAdmin } from '../../support/principals';
import { closeAll, harness, redisUrl } from '../../support/redis';
import { until } from '../../support/until';

afterAll(closeAll);

const caller = { principal: bootstrapAdmin, info: { address: 'test', userAgent: '' } };
const LONG = { AUTH_CACHE_MS: '60000' };

describe('remembered callers', () => {
  it('a remembered token is answered with no Redis round trip', async () => {
    const url = new URL(redisUrl());
    const proxy = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
    try {
      const h = harness({ adminUrl: proxy.url, env: LONG });
      const { token } = await h.access.createToken(caller, 'ci', 'viewer');
      const headers = new Headers({ authorization: `Bearer ${token}` });
      await h.hub.ready();
      expect(await h.authenticate(headers)).toMatchObject({ role: 'viewer', tokenName: 'ci' });
      proxy.resetCounters();
      expect(await h.authenticate(headers)).toMatchObject({ role: 'viewer', tokenName: 'ci' });
      expect(proxy.roundTrips()).toBe(0);
      expect(h.authCache.size()).toBe(1);
    } finally {
      await closeAll();
      await proxy.close();
    }
  });

  it('a revoked token is refused at once on the instance that revoked it, and on another as soon as the announcement arrives', async () => {
    const a = harness({ env: LONG });
    const b = harness({ ns: a.ns, env: LONG });
    const { id, token } = await a.access.createToken(caller, 'deploy', 'admin');
    const headers = new Headers({ authorization: `Bearer ${token}` });
    await Promise.all([a.hub.ready(), b.hub.ready()]);
    expect(await a.authenticate(headers)).not.toBeNull();
    expect(await b.authenticate(headers)).not.toBeNull();
    expect(b.authCache.size()).toBe(1);
    await a.access.revokeToken(caller, id);
    expect(await a.authenticate(headers)).toBeNull();
    await until(() => expect(b.authCache.size()).toBe(0));
    expect(await b.authenticate(headers)).toBeNull();
  });

  it('remembers nothing while the instance cannot hear announcements, and nothing unknown', async () => {
    const h = harness({ env: LONG });
    const { token } = await h.access.createToken(caller, 'x', 'viewer');
    // Not subscribed yet: the first answer is right but not kept.
    expect(await h.authenticate(new Headers({ authorization: `Bearer ${token}` }))).not.toBeNull();
    expect(h.authCache.size()).toBe(0);
    await h.hub.ready();
    expect(await h.authenticate(new Headers({ authorization: 'Bearer cit_not-a-real-token' }))).toBeNull();
    expect(await h.authenticate(new Headers())).toBeNull();
    expect(h.authCache.size()).toBe(0);
  });
});
