/**
 * Schemas of the auth domain: roles, who is calling (the actor every job and audit entry records),
 * accounts and API tokens. Shared by the routers, the REST routes, the domain and the tests.
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

/** The actor to store: the principal without the session hash and flags. */
export function actorOf(p: Principal): Actor {
  const { kind, label, role, bootstrap, accountId, username, tokenId, tokenName } = p;
  return actorSchema.parse({ kind, label, role, bootstrap, accountId, username, tokenId, tokenName });
}

/** Lowercase letters, digits, ".", "_" and "-", 3 to 32 characters: no lookalikes, no separators. */
export const usernameSchema = z
  .string({ error: 'username must be a string' })
  .min(3, 'username is shorter than 3 characters')
  .max(32, 'username is longer than 32 characters')
  .regex(/^[a-z0-9][a-z0-9._-]+$/, 'username may hold only lowercase letters, digits, ".", "_" and "-", starting with a letter or digit');

export const passwordSchema = z
  .string({ error: 'password must be a string' })
  .min(12, 'password is shorter than 12 characters')
  .max(256, 'password is longer than 256 characters');

export const ACCOUNT_ID = /^acc_[0-9a-f]{16}$/;
export const accountIdSchema = z.string().regex(ACCOUNT_ID, 'not an account id');
export const TOKEN_ID = /^tok_[0-9a-f]{16}$/;
export const tokenIdSchema = z.string().regex(TOKEN_ID, 'not a token id');

export const createAccountSchema = z.strictObject({ username: usernameSchema, role: roleSchema });

export interface AccountView {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: number;
  createdBy: string;
}

/** Names of tokens: printable, no control characters, so lists and logs read plainly. */
export const tokenNameSchema = z
  .string({ error: 'name must be a string' })
  .trim()
  .min(1, 'name is empty')
  .max(64, 'name is longer than 64 characters')
  .regex(/^[\p{L}\p{N} ._:/@()-]+$/u, 'name may hold only letters, digits, spaces and . _ : / @ ( ) -');

export const createTokenSchema = z.strictObject({ name: tokenNameSchema, role: roleSchema });

export interface TokenView {
  id: string;
  name: string;
  role: Role;
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}
