/**
 * Who is calling, as every domain sees it: roles, the level a procedure or route requires, the actor
 * that job records and the audit trail keep, and the authenticated principal. Below auth, audit and
 * invalidation alike, so none of them needs another's schema to name a caller.
 */
import { z } from 'zod';

/** `viewer` reads (cache state, history, jobs, streams); `admin` also invalidates and manages access. */
export const roleSchema = z.enum(['viewer', 'admin']);
export type Role = z.infer<typeof roleSchema>;

/** What a procedure or route requires; `public` needs nobody. */
export type Level = 'public' | Role;
const rank: Record<Level, number> = { public: 0, viewer: 1, admin: 2 };
export const allows = (role: Role | null, level: Level) => rank[role ?? 'public'] >= rank[level];

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
}

/** The identity limits are kept for (and a job's "yours" compares): the account, the token, or the bootstrap admin. */
export const principalKey = (p: Actor) => p.accountId ?? p.tokenId ?? (p.bootstrap ? 'bootstrap' : p.label);

/** The actor to store: the principal without the session hash and flags. */
export function actorOf(p: Principal): Actor {
  const { kind, label, role, bootstrap, accountId, username, tokenId, tokenName } = p;
  return actorSchema.parse({ kind, label, role, bootstrap, accountId, username, tokenId, tokenName });
}
