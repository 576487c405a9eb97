/**
 * Single sign-on against a real identity provider (oidc-provider on loopback, started here), through
 * the real route handlers: start → the provider's login and consent pages → callback. Each role signs
 * in; a person in no group, a wrong state, a replayed or expired code, a wrong issuer or audience, a
 * token signed by other keys, altered or expired, and a missing or foreign nonce are each refused in
 * words, audited, nobody signed in.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeAll, namespace, redisUrl } from '../support/redis';
import { claimsOf, signInAtIdp, startIdp, type TestIdp } from '../support/oidc-idp';

const TOKEN = 'oidc-admin-token-0123456789abcdef';
const origin = 'http://localhost:3000';
const callbackPrefix = `${origin}/api/auth/oidc/callback`;
const client = { clientId: 'catalog-panel', clientSecret: 'a-test-client-secret-0123456789', redirectUri: callbackPrefix };
const ns = namespace();
/** How long the provider's authorization codes live: the expired-code test moves the clock past it. */
const CODE_TTL_SECONDS = 60;
let idp: TestIdp;
let r: Awaited<ReturnType<typeof load>>;

async function load() {
  return {
    start: await import('~/app/api/auth/oidc/start/route'),
    callback: await import('~/app/api/auth/oidc/callback/route'),
    login: await import('~/app/api/auth/login/route'),
    trpc: await import('~/app/api/trpc/[trpc]/route'),
    services: (await import('~/server/app/services')).getServices(),
  };
}

beforeAll(async () => {
  idp = await startIdp(client, { codeTtlSeconds: CODE_TTL_SECONDS });
  Object.assign(process.env, {
    REDIS_URL: redisUrl(),
    ADMIN_TOKEN: TOKEN,
    CATALOG_PREFIX: ns.catalogPrefix,
    ADMIN_PREFIX: ns.adminPrefix,
    APP_ORIGIN: origin,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: client.clientId,
    OIDC_CLIENT_SECRET: client.clientSecret,
    OIDC_NAME: 'Test IdP',
    OIDC_ADMIN_GROUPS: 'panel-admins',
    OIDC_OPERATOR_GROUPS: 'panel-operators',
    OIDC_VIEWER_GROUPS: 'panel-viewers',
    LOCAL_SIGN_IN: 'false',
  });
  r = await load();
});

afterAll(async () => {
  r.services.adminRedis.disconnect();
  r.services.catalogRedis.disconnect();
  await idp.close();
  await closeAll();
});

const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);

/** Start, at the provider, back: the callback's answer (nothing is followed after it). */
async function signIn(login: string, alter: (callbackUrl: string) => string = (u) => u) {
  const started = await r.start.GET(new Request(`${origin}/api/auth/oidc/start?next=/history`));
  expect(started.status).toBe(303);
  const pending = cookieOf(started, 'catalog_oidc_pending');
  expect(started.headers.getSetCookie()[0]).toMatch(/HttpOnly; SameSite=Lax/);
  const authorize = started.headers.get('location') ?? '';
  expect(authorize).toMatch(/code_challenge_method=S256/);
  const back = await signInAtIdp(authorize, login, callbackPrefix);
  const answer = await r.callback.GET(new Request(alter(back), { headers: { cookie: pending ?? '' } }));
  return { answer, back, pending: pending ?? '', authorize };
}

async function whoAmI(answer: Response) {
  const session = cookieOf(answer, 'catalog_admin_session');
  if (!session) return null;
  const res = await r.trpc.GET(new Request(`${origin}/api/trpc/session.me`, { headers: { cookie: session } }));
  return ((await res.json()) as { result?: { data?: { role?: string; name?: string } } }).result?.data ?? null;
}

async function lastSignIn() {
  const { items } = await r.services.audit.list({ limit: 1, action: 'auth.sign-in' });
  return items[0];
}

async function expectRefused(answer: Response, code: string, reason: RegExp) {
  expect(answer.status).toBe(303);
  expect(answer.headers.get('location')).toBe(`/login?error=sso-${code}`);
  expect(cookieOf(answer, 'catalog_admin_session')).toBeUndefined();
  const entry = await lastSignIn();
  expect(entry?.outcome).toBe('failure');
  expect(String(entry?.details.reason)).toMatch(reason);
}

describe('single sign-on: each role', () => {
  it.each([
    ['ada', 'admin'],
    ['otto', 'operator'],
    ['vera', 'viewer'],
  ])('%s signs in as %s with a normal session, and an SSO account admins see', async (login, role) => {
    const { answer } = await signIn(login);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('url=/history');
    expect(await whoAmI(answer)).toMatchObject({ role });
    const entry = await lastSignIn();
    expect(entry).toMatchObject({ outcome: 'success', actorName: `${login}@example.test`, details: { method: 'oidc', issuer: idp.issuer } });
    const account = (await r.services.accounts.list()).find((a) => a.username === `${login}@example.test`);
    expect(account).toMatchObject({ role, sso: { issuer: idp.issuer, subject: login, email: `${login}@example.test` } });
  });

  it('reads the role from userinfo when the ID token lacks the claim (some IdPs send groups only there)', async () => {
    // The provider's own key signs a token without `groups`; userinfo, asked with the access token, has them.
    idp.tamper = (body) => {
      const claims = claimsOf(String(body.id_token));
      delete claims.groups;
      return { ...body, id_token: idp.sign(claims) };
    };
    try {
      const { answer } = await signIn('otto');
      expect(answer.status).toBe(200);
      expect(await whoAmI(answer)).toMatchObject({ role: 'operator' });
    } finally {
      idp.tamper = null;
    }
  });

  it('refuses a person in none of the groups, in words, audited', async () => {
    const { answer } = await signIn('nobody');
    await expectRefused(answer, 'no-role', /nobody@example\.test is in none of the groups.*staff/);
  });

  it('refuses a disabled SSO account at sign-in, and its sessions end', async () => {
    const first = await signIn('vera');
    const session = cookieOf(first.answer, 'catalog_admin_session') ?? '';
    const account = (await r.services.accounts.list()).find((a) => a.username === 'vera@example.test');
    await r.services.accounts.setDisabled(account?.id ?? '', true);
    r.services.authCache.clear();
    const me = await r.trpc.GET(new Request(`${origin}/api/trpc/session.me`, { headers: { cookie: session } }));
    expect(((await me.json()) as { result?: { data?: unknown } }).result?.data ?? null).toBeNull();
    const again = await signIn('vera');
    await expectRefused(again.answer, 'disabled', /vera@example\.test is disabled/);
    await r.services.accounts.setDisabled(account?.id ?? '', false);
  });
});

describe('single sign-on: the callback refuses', () => {
  it('a wrong state', async () => {
    const { answer } = await signIn('ada', (u) => u.replace(/state=[^&]+/, 'state=forged'));
    await expectRefused(answer, 'refused', /state/);
  });

  it('a replayed callback (the pending sign-in is spent) and a code replayed under a fresh sign-in (the provider refuses it)', async () => {
    const { answer, back, pending } = await signIn('otto');
    expect(answer.status).toBe(200);
    const replay = await r.callback.GET(new Request(back, { headers: { cookie: pending } }));
    await expectRefused(replay, 'expired', /no single sign-on in progress/);
    // A fresh sign-in's cookie and state, with the old code: the provider has spent that code.
    const fresh = await r.start.GET(new Request(`${origin}/api/auth/oidc/start`));
    const state = new URL(fresh.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const forged = new URL(back);
    forged.searchParams.set('state', state);
    const reused = await r.callback.GET(new Request(forged.href, { headers: { cookie: cookieOf(fresh, 'catalog_oidc_pending') ?? '' } }));
    await expectRefused(reused, 'refused', /invalid_grant/);
    // The provider's reason: the fresh sign-in's PKCE verifier is not the one the code was issued for.
    expect(idp.grantErrors.at(-1)).toBe('code_verifier does not match code_challenge');
  });

  it('a token answer without an ID token', async () => {
    idp.tamper = (body) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'id_token'));
    try {
      const { answer } = await signIn('ada');
      await expectRefused(answer, 'refused', /id_token/);
    } finally {
      idp.tamper = null;
    }
  });

  it('an expired code: the clock has passed its lifetime when the app redeems it, and the provider says so', async () => {
    try {
      const { answer } = await signIn('ada', (u) => {
        // The provider's clock (and ours: one process) moves past the code's lifetime, between the
        // browser's return and the code's redemption: the provider itself decides the code is expired.
        vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + (CODE_TTL_SECONDS + 1) * 1000 });
        return u;
      });
      await expectRefused(answer, 'refused', /invalid_grant/);
      // The provider tells a client only "grant request is invalid"; its own reason is the expiry.
      expect(idp.grantErrors.at(-1)).toBe('authorization code is expired');
    } finally {
      vi.useRealTimers();
    }
  });

  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, (claims: Record<string, unknown>, jwt: string) => string, RegExp][] = [
    ['a wrong issuer', (c) => idp.sign({ ...c, iss: 'http://127.0.0.1:1/other-idp' }), /iss/],
    ['a wrong audience', (c) => idp.sign({ ...c, aud: 'another-client', azp: 'another-client' }), /aud/],
    ['an ID token signed with other keys', (c) => idp.sign(c, { privateKey: other.privateKey, kid: idp.kid }), /signature/],
    ['an altered ID token (groups rewritten, signature kept)', (c, jwt) => {
      const [h, , s] = jwt.split('.');
      return `${h}.${Buffer.from(JSON.stringify({ ...c, groups: ['panel-admins'] })).toString('base64url')}.${s}`;
    }, /signature/],
    ['a missing nonce', (c) => idp.sign(Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'nonce'))), /nonce/],
    ["another sign-in's nonce", (c) => idp.sign({ ...c, nonce: 'a-nonce-from-another-sign-in' }), /nonce/],
    ['an expired ID token (signed by the provider, its exp an hour ago)', (c) => idp.sign({ ...c, iat: now() - 7200, exp: now() - 3600 }), /exp/],
  ];
  it.each(cases)('%s', async (_name, alter, reason) => {
    idp.tamper = (body) => {
      const jwt = String(body.id_token);
      return { ...body, id_token: alter(claimsOf(jwt), jwt) };
    };
    try {
      const { answer } = await signIn('vera');
      await expectRefused(answer, 'refused', reason);
    } finally {
      idp.tamper = null;
    }
  });
});

describe('LOCAL_SIGN_IN=false', () => {
  it('refuses the password form in words; ADMIN_TOKEN still works as Bearer', async () => {
    const res = await r.login.POST(new Request(`${origin}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `password=${TOKEN}` }));
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/LOCAL_SIGN_IN=false/);
    const me = await r.trpc.GET(new Request(`${origin}/api/trpc/session.me`, { headers: { authorization: `Bearer ${TOKEN}` } }));
    expect(((await me.json()) as { result: { data: { role: string } } }).result.data.role).toBe('admin');
  });
});
