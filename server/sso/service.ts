/** Single sign-on from the parsed environment, over auth's accounts and sessions: null when it is not configured. */
import 'server-only';
import type { Env } from '~/server/env';
import type { RedisClient } from '~/server/redis/cluster';
import type { AdminKeys } from '~/server/redis/keys';
import { createPendingStore } from './pending';
import { createIdentityProvider } from './provider';
import { createOidcSignIn, type OidcSignInDeps } from './sign-in';

export function createSso(env: Env, redis: RedisClient, keys: AdminKeys, stores: Pick<OidcSignInDeps, 'accounts' | 'sessions' | 'audit'>) {
  // env.ts refuses a partial configuration at start-up; this only narrows the types.
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET || !env.APP_ORIGIN) return null;
  const settings = {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    redirectUri: `${env.APP_ORIGIN}/api/auth/oidc/callback`,
    roleClaim: env.OIDC_ROLE_CLAIM,
    groups: { admin: env.OIDC_ADMIN_GROUPS, operator: env.OIDC_OPERATOR_GROUPS, viewer: env.OIDC_VIEWER_GROUPS },
  };
  /** `name`: the login button's "Sign in with <name>". */
  return { name: env.OIDC_NAME, ...createOidcSignIn({ settings, provider: createIdentityProvider(settings), pending: createPendingStore(redis, keys), ...stores }) };
}
