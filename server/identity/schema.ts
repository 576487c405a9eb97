/**
 * Who is calling, as every domain sees it: roles, the level a procedure or route requires, the actor
 * that job records and the audit trail keep, and the authenticated principal. Below auth, audit and
 * invalidation alike, so none of them needs another's schema to name a caller.
 */
import { z } from 'zod';
import { PROVIDER_NAME } from '~/server/lib/names';
import { ROLES, type Role } from './level-schema';

export { allows, inScope, ROLES, type Level, type Role } from './level-schema';

/** The roles as a zod enum (their order and meaning: level-schema.ts). */
export const roleSchema = z.enum(ROLES);

/** At most this many providers in one credential's scope: a scope is a short list a person reads. */
export const MAX_SCOPE_PROVIDERS = 100;

/**
 * A credential's scope: the providers it may act on (absent: every provider). Names from the
 * provider-name grammar, each once. Reading is never scoped: only what changes a provider's cache is.
 */
export const scopeSchema = z
  .array(z.string({ error: 'a provider must be a string' }).regex(PROVIDER_NAME, 'provider name must be lowercase letters, digits, ".", "_" or "-"'))
  .min(1, 'providers is empty: name at least one provider, or leave it out for every provider')
  .max(MAX_SCOPE_PROVIDERS, `at most ${MAX_SCOPE_PROVIDERS} providers in a scope`)
  .refine((names) => new Set(names).size === names.length, 'providers names a provider twice');

/**
 * What a new account or token is given: a role and, unless it may act on every provider, a scope.
 * An admin is never scoped: it manages accounts, tokens and schedules, which a provider list cannot bound.
 */

export const grantShape = { role: roleSchema, providers: scopeSchema.optional() };
export const unscopedAdmin = (grant: { role: Role; providers?: string[] }) => grant.role !== 'admin' || grant.providers === undefined;
export const UNSCOPED_ADMIN_MESSAGE = 'an admin cannot be scoped to providers (it manages accounts, tokens and schedules): give the scope to a viewer or an operator';

/**
 * Who did something, as job records and the audit trail keep it. `kind` and `label` are the
 * original fields (records written before accounts parse as they are); the rest say which account
 * or token it was.
 */
export const actorSchema = z.object({
  kind: z.enum(['token', 'session', 'schedule']),
  label: z.string(),
  role: roleSchema.optional(),
  /** The bootstrap admin (ADMIN_TOKEN), as Bearer or signed in with it. */
  bootstrap: z.boolean().optional(),
  accountId: z.string().optional(),
  username: z.string().optional(),
  tokenId: z.string().optional(),
  tokenName: z.string().optional(),
});
export type Actor = z.infer<typeof actorSchema>;

/** An authenticated caller: an actor with a role, and how it proved itself. */
export interface Principal extends Actor {
  role: Role;
  /** Who, in a word: the username, the token's name, or "admin (bootstrap)". */
  name: string;
  /** Signed in with an initial password: only the password change is allowed. */
  mustChangePassword: boolean;
  /** The SHA-256 of the session id, for sign-out (cookie callers only). */
  sessionHash?: string;
  /** The providers this credential may act on (its account's or token's scope); absent: every provider. */
  providers?: string[];
}

/** The identity limits are kept for (and a job's "yours" compares): the account, the token, or the bootstrap admin. */
export const principalKey = (p: Actor) => p.accountId ?? p.tokenId ?? (p.bootstrap ? 'bootstrap' : p.label);

/** The actor to store: the principal without the session hash and flags. */
export function actorOf(p: Principal): Actor {
  const { kind, label, role, bootstrap, accountId, username, tokenId, tokenName } = p;
  return actorSchema.parse({ kind, label, role, bootstrap, accountId, username, tokenId, tokenName });
}
