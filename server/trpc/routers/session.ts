import 'server-only';
import { callerOf } from '../caller';
import { router, viewerProcedure } from '../init';

export const sessionRouter = router({
  /** Who the panel is signed in as: what it shows and which controls it offers. */
  me: viewerProcedure.query(({ ctx }) => ({ name: ctx.actor.name, role: ctx.actor.role, bootstrap: ctx.actor.bootstrap === true, kind: ctx.actor.kind })),

  /** Ends every session of this account, on every device, this one included. */
  signOutEverywhere: viewerProcedure.mutation(async ({ ctx }) => {
    await ctx.services.access.signOutEverywhere(callerOf(ctx));
    return { ok: true };
  }),
});
