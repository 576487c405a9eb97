/**
 * A real identity provider for the tests: panva's oidc-provider (OpenID-certified) on loopback, on a
 * free port, with its own RSA key, dev interactions (a login form that takes any password, then a
 * consent page) and four people: an admin, an operator, a viewer, and one in no group. `groups` is
 * sent under the `openid` scope, in the ID token too. `tamper` rewrites the token endpoint's answer
 * (a hostile or broken provider); `sign` makes a token with this provider's key, or another's.
 */
import { createServer, type Server } from 'node:http';
import { createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export const PEOPLE: Record<string, string[]> = { ada: ['panel-admins'], otto: ['panel-operators', 'staff'], vera: ['staff', 'panel-viewers'], nobody: ['staff'] };

/** A login's groups: a person's, also under a tag (`vera+x1` is another subject in vera's groups, for a test of its own). */
export const groupsOf = (login: string): string[] => PEOPLE[login] ?? PEOPLE[login.split('+')[0] ?? ''] ?? [];

export interface TestIdp {
  issuer: string;
  kid: string;
  /** Rewrites the token endpoint's JSON answer (null: as the provider sent it). */
  tamper: ((body: Record<string, unknown>) => Record<string, unknown>) | null;
  sign(claims: Record<string, unknown>, key?: { privateKey: KeyObject; kid: string }): string;
  privateKey: KeyObject;
  /** Why the provider refused each token request, in its own words (it tells the client only "grant request is invalid"). */
  grantErrors: string[];
  /** The provider goes down: its port is closed (connections refused), its state and keys kept. */
  stop(): Promise<void>;
  /** And comes back on the same port, the same provider. */
  listen(): Promise<void>;
  close(): Promise<void>;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * `down`: the provider is made but its port closed, as an identity provider that is down when the
 * app starts (`listen()` brings it up). `codeTtlSeconds`: how long an authorization code lives (its
 * default, 60 s, stated so a test can move the clock past it).
 */
export async function startIdp(client: { clientId: string; clientSecret: string; redirectUri: string }, { down = false, codeTtlSeconds = 60 } = {}): Promise<TestIdp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(6).toString('hex');
  const provider = new Provider(issuer, {
    clients: [{ client_id: client.clientId, client_secret: client.clientSecret, redirect_uris: [client.redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    jwks: { keys: [{ ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid, alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub', 'groups'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false,
    // Every lifetime stated (the provider warns about each default it falls back to).
    ttl: { AuthorizationCode: codeTtlSeconds, AccessToken: 600, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      return { accountId: id, claims: async () => ({ sub: id, email: `${id}@example.test`, email_verified: true, name: id, groups: groupsOf(id) }) };
    },
  });
  const idp: TestIdp = {
    issuer,
    kid,
    tamper: null,
    privateKey,
    grantErrors: [],
    sign(claims, key = { privateKey, kid }) {
      const data = `${b64({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${b64(claims)}`;
      return `${data}.${createSign('RSA-SHA256').update(data).sign(key.privateKey).toString('base64url')}`;
    },
    stop,
    listen: () => new Promise<void>((resolve, reject) => {
      if (server.listening) return resolve();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    }),
    close: stop,
  };
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/token' && idp.tamper && ctx.status === 200 && typeof ctx.body === 'object' && ctx.body) ctx.body = idp.tamper(ctx.body as Record<string, unknown>);
  });
  provider.on('grant.error', (_ctx: unknown, err: { error_detail?: string; message: string }) => idp.grantErrors.push(err.error_detail ?? err.message));
  server.on('request', provider.callback());
  if (down) await stop();
  return idp;
}

/** The claims of a JWT, unchecked (the test reads what the provider sent). */
export const claimsOf = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString());

/**
 * A person at the provider's pages, as a browser would go: follows the authorization redirects,
 * posts the login form (any password), then the consent form, and stops at the redirect back to the
 * app. Returns the callback URL the provider sent the browser to.
 */
export async function signInAtIdp(authorizeUrl: string, login: string, callbackPrefix: string): Promise<string> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  let url = authorizeUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let step = 0; step < 12; step++) {
    if (url.startsWith(callbackPrefix)) return url;
    const res = await fetch(url, { method, body, redirect: 'manual', headers: { cookie: cookieHeader(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) } });
    keep(res);
    const location = res.headers.get('location');
    if (location) {
      url = new URL(location, url).href;
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`the provider's page has no form (${res.status}): ${html.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, '&'), url).href;
    method = 'POST';
    body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any password' } : { prompt }).toString();
  }
  throw new Error('the provider never sent the browser back');
}
