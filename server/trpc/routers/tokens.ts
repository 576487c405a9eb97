import 'server-only';
import { z } from 'zod';
import { createTokenSchema, tokenIdSchema } from '~/server/auth/schema';
import { callerOf } from '../caller';
import { adminProcedure, router } from '../init';

export const tokensRouter = router({
  /** `{ id, token }`: the token is shown this once; Redis keeps only its SHA-256. */
  create: adminProcedure.input(createTokenSchema).mutation(({ ctx, input }) => ctx.services.access.createToken(callerOf(ctx), input.name, input.role)),

  /** Name, role, creator, times; never the token. Revoked tokens stay listed with `revokedAt`. */
  list: adminProcedure.query(({ ctx }) => ctx.services.access.listTokens()),

  /** Refused from its next call on. */
  revoke: adminProcedure.input(z.strictObject({ id: tokenIdSchema })).mutation(({ ctx, input }) => ctx.services.access.revokeToken(callerOf(ctx), input.id)),
});
