/**
 * Single sign-on (authorization code flow with PKCE, state and nonce, through openid-client):
 * `start` keeps the transient values server-side and answers the provider's authorization URL;
 * `finish` takes them back once, lets openid-client check the callback (state, code exchange with
 * the PKCE verifier, the ID token's issuer, audience, signature, expiry and nonce), reads the role
 * from the configured claim (ID token first, else userinfo), and opens a normal session for the
 * person's SSO account. Every refusal is in words and audited; nothing is signed in.
 */
import 'server-only';
import * as client from 'openid-client';
import type { AuditTrail } from '~/server/audit/trail';
import type { AccountStore } from '~/server/auth/accounts';
import type { RequestInfo } from '~/server/auth/request-info';
import type { SessionStore } from '~/server/auth/sessions';
import { actorOf, type Principal } from '~/server/identity/schema';
import { DomainError } from '~/server/lib/errors';
import type { createPendingStore } from './pending';
import type { IdentityProvider } from './provider';
import { claimValues, roleFromClaim, type OidcSettings } from './schema';

export interface OidcSignInDeps {
  settings: OidcSettings;
  provider: IdentityProvider;
  pending: ReturnType<typeof createPendingStore>;
  accounts: Pick<AccountStore, 'upsertSso'>;
  sessions: SessionStore;
  audit: Pick<AuditTrail, 'record'>;
}

/** Why a callback was refused, as the login page names it (a fixed sentence per code). */
export type OidcRefusal = 'expired' | 'refused' | 'no-role' | 'disabled' | 'unavailable';
export type OidcFinish = { ok: true; sessionId: string; next: string } | { ok: false; code: OidcRefusal; message: string };

export function createOidcSignIn(deps: OidcSignInDeps) {
  const { settings } = deps;

  async function refuse(code: OidcRefusal, message: string, info: RequestInfo, who?: string): Promise<OidcFinish> {
    await deps.audit.record({ action: 'auth.sign-in', outcome: 'failure', actor: null, actorName: who ?? `single sign-on (${settings.issuer})`, address: info.address, userAgent: info.userAgent, details: { method: 'oidc', reason: message } });
    return { ok: false, code, message };
  }

  return {
    /** The provider's authorization URL and the id for the pending cookie. Throws UNAVAILABLE when the provider is down. */
    async start(next: string): Promise<{ url: string; pendingId: string }> {
      const config = await deps.provider.config();
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const pendingId = await deps.pending.put({ state, nonce, verifier, next, createdAt: Date.now() });
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url: url.href, pendingId };
    },

    /** `search`: the callback's query string, as the provider sent it. */
    async finish(search: string, pendingId: string | undefined, info: RequestInfo): Promise<OidcFinish> {
      const pending = await deps.pending.take(pendingId);
      if (!pending) return refuse('expired', 'no single sign-on in progress in this browser (it expired after 10 minutes, was already used, or was started elsewhere)', info);
      let config: client.Configuration;
      try {
        config = await deps.provider.config();
      } catch (err) {
        return refuse('unavailable', DomainError.is(err) ? err.message : 'the identity provider did not answer', info);
      }
      let claims: client.IDToken;
      let accessToken: string;
      try {
        const tokens = await client.authorizationCodeGrant(config, new URL(`${settings.redirectUri}${search}`), {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims();
        if (!idClaims) return refuse('refused', 'the identity provider sent no ID token', info);
        claims = idClaims;
        accessToken = tokens.access_token;
      } catch (err) {
        if (unreachable(err)) return refuse('unavailable', `The identity provider at ${settings.issuer} did not answer (${describe(err)}); try again in a moment`, info);
        return refuse('refused', `the identity provider's answer was refused: ${describe(err)}`, info);
      }
      const email = typeof claims.email === 'string' ? claims.email.slice(0, 254) : null;
      const who = email ?? claims.sub;
      let values = claimValues(claims[settings.roleClaim]);
      if (values === null) {
        try {
          const userinfo = await client.fetchUserInfo(config, accessToken, claims.sub);
          values = claimValues(userinfo[settings.roleClaim]) ?? [];
        } catch (err) {
          return refuse('refused', `the identity provider's userinfo answer was refused: ${describe(err)}`, info, who);
        }
      }
      const role = roleFromClaim(values, settings.groups);
      if (!role) return refuse('no-role', `${who} is in none of the groups that give a role here (claim ${settings.roleClaim}: ${values.slice(0, 20).join(', ') || 'none'})`, info, who);
      const account = await deps.accounts.upsertSso({ issuer: claims.iss, subject: claims.sub, email, role });
      if (account.disabled) return refuse('disabled', `the single sign-on account ${account.username} is disabled`, info, who);
      const sessionId = await deps.sessions.create(account.id, account.epoch);
      const principal: Principal = { kind: 'session', label: `${account.username} (session)`, role: account.role, accountId: account.id, username: account.username, name: account.username, mustChangePassword: false };
      await deps.audit.record({ action: 'auth.sign-in', outcome: 'success', actor: actorOf(principal), actorName: principal.name, address: info.address, userAgent: info.userAgent, details: { method: 'oidc', issuer: claims.iss } });
      return { ok: true, sessionId, next: pending.next };
    },
  };
}

export type OidcSignIn = ReturnType<typeof createOidcSignIn>;

/** Node's codes for a connection that failed or was cut (undici's among them), and a timeout. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

/**
 * The provider could not be reached (down, or cut mid-answer): an outage, said as one, not an answer
 * refused. Read down the cause chain, where fetch keeps the socket's error.
 */
function unreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if ((typeof code === 'string' && NETWORK_CODES.has(code)) || e.name === 'TimeoutError') return true;
  }
  return false;
}

/**
 * openid-client's words: the provider's error code when it sent one (invalid_grant…), else each
 * message down the cause chain (openid-client wraps oauth4webapi's precise one in a general one).
 */
function describe(err: unknown): string {
  if (err instanceof client.ResponseBodyError || err instanceof client.AuthorizationResponseError) return `${err.error}${err.error_description ? ` (${err.error_description})` : ''}`;
  const messages: string[] = [];
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) if (!messages.includes(e.message)) messages.push(e.message);
  return (messages.join(': ') || String(err)).slice(0, 300);
}
