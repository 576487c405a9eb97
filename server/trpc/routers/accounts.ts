import 'server-only';
import { z } from 'zod';
import { accountIdSchema, createAccountSchema, type CreateAccountInput } from '~/server/auth/schema';
import { callerOf } from '../caller';
import { adminProcedure, asking, router } from '../init';

const byId = z.strictObject({ id: accountIdSchema });

export const accountsRouter = router({
  list: adminProcedure.query(({ ctx }) => ctx.services.access.listAccounts()),

  /** The initial password is in this answer and nowhere else: the new user changes it at first sign-in. */
  create: adminProcedure
    .input(createAccountSchema)
    // Never more than its maker, like a token.
    .use(asking((input: CreateAccountInput) => ({ grants: input })))
    .mutation(({ ctx, input }) => ctx.services.access.createAccount(callerOf(ctx), input.username, input.role, input.providers)),

  /** Ends every session of the account at once. */
  disable: adminProcedure.input(byId).mutation(({ ctx, input }) => ctx.services.access.setDisabled(callerOf(ctx), input.id, true)),

  enable: adminProcedure.input(byId).mutation(({ ctx, input }) => ctx.services.access.setDisabled(callerOf(ctx), input.id, false)),
});
