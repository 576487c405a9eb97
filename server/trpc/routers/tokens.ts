import 'server-only';
import { z } from 'zod';
import { createTokenSchema, tokenIdSchema, tokenListSchema, type CreateTokenInput } from '~/server/auth/schema';
import { callerOf } from '../caller';
import { adminProcedure, asking, router } from '../init';

export const tokensRouter = router({
  /** `{ id, token }`: the token is shown this once; Redis keeps only its SHA-256. */
  create: adminProcedure
    .input(createTokenSchema)
    // Never more than its maker: a role at most the caller's, a scope within the caller's.
    .use(asking((input: CreateTokenInput) => ({ grants: input })))
    .mutation(({ ctx, input }) => ctx.services.access.createToken(callerOf(ctx), input.name, input.role, input.providers)),

  /**
   * `{ items, nextCursor, total }`, newest first: name, role, creator, times, the maker token and,
   * when a maker was revoked, which (`revokedVia`); never the token. Revoked tokens stay listed.
   */
  list: adminProcedure.input(tokenListSchema.prefault({})).query(({ ctx, input }) => ctx.services.access.listTokens(input)),

  /** Refused from its next call on, with every token it made (and they made). */
  revoke: adminProcedure.input(z.strictObject({ id: tokenIdSchema })).mutation(({ ctx, input }) => ctx.services.access.revokeToken(callerOf(ctx), input.id)),
});
