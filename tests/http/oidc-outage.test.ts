/**
 * The identity provider down when the app starts: a real closed port (oidc-provider made, its port
 * shut), then the same provider listening again. Each sign-in while it is down reads the discovery
 * again (nothing broken is kept), is refused in words (the login page's `sso-unavailable`, the reason
 * with the issuer in the audit trail), and the Bearer admin token keeps working; once the provider
 * answers, the next sign-in goes through without a restart. A sign-in caught half-way by an outage
 * (the code exchange cannot connect) is refused in the same words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, namespace, redisUrl } from '../support/redis';
import { signInAtIdp, startIdp, type TestIdp } from '../support/oidc-idp';

const TOKEN = 'oidc-outage-admin-token-0123456789abcdef';
const origin = 'http://localhost:3000';
const callbackPrefix = `${origin}/api/auth/oidc/callback`;
const client = { clientId: 'catalog-panel', clientSecret: 'a-test-client-secret-0123456789', redirectUri: callbackPrefix };
const ns = namespace();
let idp: TestIdp;
let r: Awaited<ReturnType<typeof load>>;

async function load() {
  return {
    start: await import('~/app/api/auth/oidc/start/route'),
    callback: await import('~/app/api/auth/oidc/callback/route'),
    trpc: await import('~/app/api/trpc/[trpc]/route'),
    services: (await import('~/server/app/services')).getServices(),
  };
}

beforeAll(async () => {
  idp = await startIdp(client, { down: true });
  Object.assign(process.env, {
    REDIS_URL: redisUrl(),
    ADMIN_TOKEN: TOKEN,
    CATALOG_PREFIX: ns.catalogPrefix,
    ADMIN_PREFIX: ns.adminPrefix,
    APP_ORIGIN: origin,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: client.clientId,
    OIDC_CLIENT_SECRET: client.clientSecret,
    OIDC_ADMIN_GROUPS: 'panel-admins',
  });
  r = await load();
});

afterAll(async () => {
  r.services.adminRedis.disconnect();
  r.services.catalogRedis.disconnect();
  await idp.close();
  await closeAll();
});

const start = () => r.start.GET(new Request(`${origin}/api/auth/oidc/start?next=/history`));

async function failedSignIns() {
  const { items } = await r.services.audit.list({ limit: 100, action: 'auth.sign-in' });
  return items.filter((e) => e.outcome === 'failure');
}

describe('the identity provider down at start-up', () => {
  it('refuses each sign-in in words while it is down, reading its discovery again each time; the admin token keeps working', async () => {
    for (let attempt = 1; attempt <= 2; attempt++) {
      const res = await start();
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/login?error=sso-unavailable&next=%2Fhistory');
      expect(res.headers.getSetCookie()).toEqual([]); // no sign-in begun
      const failures = await failedSignIns();
      expect(failures).toHaveLength(attempt); // each attempt went to the provider again, and was audited
      expect(failures[0]).toMatchObject({ actorName: `single sign-on (${idp.issuer})`, details: { method: 'oidc' } });
      expect(String(failures[0]?.details.reason)).toMatch(new RegExp(`The identity provider at ${idp.issuer} did not answer its discovery \\(.+\\); try again in a moment`));
    }
    const me = await r.trpc.GET(new Request(`${origin}/api/trpc/session.me`, { headers: { authorization: `Bearer ${TOKEN}` } }));
    expect(((await me.json()) as { result: { data: { role: string } } }).result.data.role).toBe('admin');
  });

  it('signs in once the provider answers, without a restart', async () => {
    await idp.listen();
    const started = await start();
    const authorize = started.headers.get('location') ?? '';
    expect(authorize.startsWith(`${idp.issuer}/`)).toBe(true);
    const pending = started.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const back = await signInAtIdp(authorize, 'ada', callbackPrefix);
    const answer = await r.callback.GET(new Request(back, { headers: { cookie: pending } }));
    expect(answer.status).toBe(200);
    const session = answer.headers.getSetCookie().find((c) => c.startsWith('catalog_admin_session=')) ?? '';
    const me = await r.trpc.GET(new Request(`${origin}/api/trpc/session.me`, { headers: { cookie: session.split(';')[0] ?? '' } }));
    expect(((await me.json()) as { result: { data: { role: string; name: string } } }).result.data).toMatchObject({ role: 'admin', name: 'ada@example.test' });
  });

  it('refuses in words a sign-in caught half-way by an outage (the code exchange cannot connect), and signs nobody in', async () => {
    const started = await start();
    const pending = started.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const back = await signInAtIdp(started.headers.get('location') ?? '', 'ada', callbackPrefix);
    await idp.stop();
    try {
      const answer = await r.callback.GET(new Request(back, { headers: { cookie: pending } }));
      expect(answer.status).toBe(303);
      expect(answer.headers.get('location')).toBe('/login?error=sso-unavailable');
      expect(answer.headers.getSetCookie().some((c) => c.startsWith('catalog_admin_session='))).toBe(false);
      const [last] = await failedSignIns();
      expect(String(last?.details.reason)).toMatch(new RegExp(`^The identity provider at ${idp.issuer} did not answer \\(.+\\); try again in a moment$`));
    } finally {
      await idp.listen();
    }
  });
});
