/**
 * Schemas of the auth domain: accounts and API tokens (who is calling lives in
 * `server/identity/schema.ts`). Shared by the routers, the REST routes, the domain and the tests.
 */
import { z } from 'zod';
import { grantShape, UNSCOPED_ADMIN_MESSAGE, unscopedAdmin, type Role } from '~/server/identity/schema';

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

/** `providers`: the account's scope (absent: every provider); an admin is never scoped. */
export const createAccountSchema = z.strictObject({ username: usernameSchema, ...grantShape }).refine(unscopedAdmin, { message: UNSCOPED_ADMIN_MESSAGE, path: ['providers'] });

export type CreateAccountInput = z.output<typeof createAccountSchema>;

export interface AccountView {
  id: string;
  username: string;
  role: Role;
  /** The providers it may act on; null: every provider. */
  providers: string[] | null;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: number;
  createdBy: string;
  /** A single sign-on account: who it is at which identity provider (null: a local account with a password). */
  sso: { issuer: string; subject: string; email: string | null; lastSignInAt: number } | null;
}

/** Names of tokens: printable, no control characters, so lists and logs read plainly. */
export const tokenNameSchema = z
  .string({ error: 'name must be a string' })
  .trim()
  .min(1, 'name is empty')
  .max(64, 'name is longer than 64 characters')
  .regex(/^[\p{L}\p{N} ._:/@()-]+$/u, 'name may hold only letters, digits, spaces and . _ : / @ ( ) -');

/** `{ name, role, providers? }` (issue 25): `providers` is the token's scope (absent: every provider); an admin is never scoped. */
export const createTokenSchema = z.strictObject({ name: tokenNameSchema, ...grantShape }).refine(unscopedAdmin, { message: UNSCOPED_ADMIN_MESSAGE, path: ['providers'] });

export type CreateTokenInput = z.output<typeof createTokenSchema>;

export interface TokenView {
  id: string;
  name: string;
  role: Role;
  /** The providers it may act on; null: every provider. */
  providers: string[] | null;
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
  /** When this token itself was revoked. */
  revokedAt: number | null;
  /** The token that made this one (null: an account's session or the bootstrap admin made it). */
  madeBy: string | null;
  /** Refused because a token in its maker chain was revoked: the nearest such maker (null when none is). */
  revokedVia: { id: string; name: string; revokedAt: number } | null;
}

/** `tokens.list`: newest first, a page at a time; `cursor` is the last id of the previous page. */
export const tokenListSchema = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  cursor: tokenIdSchema.nullish(),
});
export type TokenListQuery = z.output<typeof tokenListSchema>;
export interface TokenPage {
  items: TokenView[];
  nextCursor: string | null;
  /** Every token ever made (revoked ones stay listed). */
  total: number;
}
