/** Security over the admin Redis: accounts, sessions, tokens, the audit trail, limits, sign-in, access, admission, the callers' memory. */
import 'server-only';
import { createAuditTrail } from '~/server/audit/trail';
import { announceAccessChanges, createAuthCache } from '~/server/auth/auth-cache';
import { createAdmission } from '~/server/invalidation/admission';
import type { InvalidationService } from '~/server/invalidation/service';
import { createRateLimiter } from '~/server/ratelimit/limiter';
import { isCluster } from '~/server/redis/cluster';
import { createAccessService } from '~/server/auth/access';
import { createAccountStore } from '~/server/auth/accounts';
import { createApiTokenStore } from '~/server/auth/api-tokens';
import { authenticate, ownerOf, ownerStands } from '~/server/auth/authenticate';
import { createHashGate } from '~/server/auth/hash-gate';
import type { RequestPolicy } from '~/server/auth/request-info';
import { createSessionStore } from '~/server/auth/sessions';
import { createSignIn } from '~/server/auth/sign-in';
import { createSso } from '~/server/sso/service';
import type { Base } from './base';
import type { Live } from './live';

export function wireSecurity({ adminRedis, keys: { admin: keys }, env }: Base, { hub, activity }: Live, invalidation: Pick<InvalidationService, 'startParsed'>) {
  const sessions = createSessionStore(adminRedis, keys, env.SESSION_TTL_SECONDS);
  // One gate per process for every password hash: a flood of sign-ins cannot take libuv's whole thread pool.
  const hashGate = createHashGate(env.PASSWORD_HASH_CONCURRENCY, env.PASSWORD_HASH_QUEUE);
  const accounts = createAccountStore(adminRedis, keys, { gate: hashGate, scryptN: 2 ** env.SCRYPT_LOG2_N });
  const tokens = createApiTokenStore(adminRedis, keys);
  const audit = createAuditTrail(adminRedis, keys, {
    retentionMs: env.AUDIT_RETENTION_DAYS * 86_400_000,
    maxLength: env.AUDIT_MAXLEN,
    anonymousMaxLength: env.AUDIT_ANONYMOUS_MAXLEN,
  });
  const authDeps = { adminToken: env.ADMIN_TOKEN, sessions, accounts, tokens };
  const requestPolicy: RequestPolicy = { appOrigin: env.APP_ORIGIN, trustedProxies: env.TRUSTED_PROXIES };
  const limiter = createRateLimiter(adminRedis);
  const signIn = createSignIn({
    adminToken: env.ADMIN_TOKEN,
    keys,
    accounts,
    sessions,
    limiter,
    audit,
    limits: { perAccount: env.LOGIN_FAILURES_PER_ACCOUNT, perAddress: env.LOGIN_FAILURES_PER_ADDRESS, windowMs: env.LOGIN_WINDOW_SECONDS * 1000 },
    tokens,
    ownerStands: (owner) => ownerStands(owner, authDeps),
  });
  const admitInvalidation = createAdmission({
    start: (request, actor, via, admission) => invalidation.startParsed(request, actor, via, admission),
    audit,
    auditInScript: !isCluster(adminRedis),
    keys,
    limits: { perActorPerMinute: env.INVALIDATIONS_PER_ACTOR_PER_MINUTE, perMinute: env.INVALIDATIONS_PER_MINUTE },
  });
  const access = createAccessService({
    accounts,
    tokens,
    sessions,
    audit,
    ownerOf: (principal) => ownerOf(principal, authDeps),
    limiter,
    keys,
    passwordLimit: { perAccount: env.LOGIN_FAILURES_PER_ACCOUNT, windowMs: env.LOGIN_WINDOW_SECONDS * 1000 },
  });
  const sso = createSso(env, adminRedis, keys, { accounts, sessions, audit });
  // Callers are remembered briefly so a click waits for no lookup; anything that ends a credential empties every instance's memory.
  const authCache = createAuthCache({ authenticate: (headers) => authenticate(headers, authDeps), hub, ttlMs: env.AUTH_CACHE_MS });
  return {
    sessions,
    accounts,
    tokens,
    audit,
    limiter,
    signIn,
    sso, // single sign-on, or null when OIDC_ISSUER is unset
    admitInvalidation,
    hashGate,
    access: announceAccessChanges(access, () => {
      authCache.clear();
      activity.publish({ kind: 'access', at: Date.now() });
    }),
    authCache,
    appOrigin: env.APP_ORIGIN,
    /** How requestInfo() reads a request: our origin, and which X-Forwarded-For entries to believe. */
    requestPolicy,
    /** Who is calling (token or session, remembered for AUTH_CACHE_MS), for the tRPC context and the REST routes alike. */
    authenticate: authCache.authenticate,
  };
}

export type Security = ReturnType<typeof wireSecurity>;
