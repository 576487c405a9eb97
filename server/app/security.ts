/**
 * The security pieces over the admin Redis: accounts, sessions, API tokens, the audit trail, the
 * rate limiter, sign-in, access management and the invalidation admission. Called by
 * wireServices, so the app, the test harness and the second-instance server wire them alike.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { createAuditTrail } from '~/server/audit/trail';
import type { Env } from '~/server/env';
import { createAdmission } from '~/server/app/admission';
import type { InvalidationService } from '~/server/invalidation/service';
import { createRateLimiter } from '~/server/ratelimit/limiter';
import type { AdminKeys } from '~/server/redis/keys';
import { createAccessService } from '~/server/auth/access';
import { createAccountStore } from '~/server/auth/accounts';
import { createApiTokenStore } from '~/server/auth/api-tokens';
import { authenticate, ownerOf } from '~/server/auth/authenticate';
import { createHashGate } from '~/server/auth/hash-gate';
import type { RequestPolicy } from '~/server/auth/request-info';
import { createSessionStore } from '~/server/auth/sessions';
import { createSignIn } from '~/server/auth/sign-in';

export type SecurityEnv = Pick<
  Env,
  | 'ADMIN_TOKEN'
  | 'APP_ORIGIN'
  | 'SESSION_TTL_SECONDS'
  | 'AUDIT_RETENTION_DAYS'
  | 'AUDIT_MAXLEN'
  | 'AUDIT_ANONYMOUS_MAXLEN'
  | 'TRUSTED_PROXIES'
  | 'PASSWORD_HASH_CONCURRENCY'
  | 'PASSWORD_HASH_QUEUE'
  | 'SCRYPT_LOG2_N'
  | 'LOGIN_FAILURES_PER_ACCOUNT'
  | 'LOGIN_FAILURES_PER_ADDRESS'
  | 'LOGIN_WINDOW_SECONDS'
  | 'INVALIDATIONS_PER_ACTOR_PER_MINUTE'
  | 'INVALIDATIONS_PER_MINUTE'
>;

export function wireSecurity(adminRedis: RedisClient, keys: AdminKeys, env: SecurityEnv, invalidation: Pick<InvalidationService, 'start'>) {
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
  });
  const admitInvalidation = createAdmission({
    start: (request, actor, via, admission) => invalidation.start(request, actor, via, admission),
    audit,
    auditInScript: !(adminRedis as { isCluster?: boolean }).isCluster,
    keys,
    limits: { perActorPerMinute: env.INVALIDATIONS_PER_ACTOR_PER_MINUTE, perMinute: env.INVALIDATIONS_PER_MINUTE },
  });
  return {
    sessions,
    accounts,
    tokens,
    audit,
    limiter,
    signIn,
    admitInvalidation,
    hashGate,
    access: createAccessService({
      accounts,
      tokens,
      sessions,
      audit,
      ownerOf: (principal) => ownerOf(principal, authDeps),
      limiter,
      keys,
      passwordLimit: { perAccount: env.LOGIN_FAILURES_PER_ACCOUNT, windowMs: env.LOGIN_WINDOW_SECONDS * 1000 },
    }),
    appOrigin: env.APP_ORIGIN,
    /** How requestInfo() reads a request: our origin, and which X-Forwarded-For entries to believe. */
    requestPolicy,
    /** Who is calling (token or session), for the tRPC context and the REST routes alike. */
    authenticate: (headers: Headers) => authenticate(headers, authDeps),
  };
}

export type Security = ReturnType<typeof wireSecurity>;
