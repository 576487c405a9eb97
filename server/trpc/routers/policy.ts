import 'server-only';
import { policySchema } from '~/server/guard/schema';
import { adminProcedure, router, viewerProcedure } from '../init';

/** The catalog guard's policy (docs/catalog-guard.md): read by viewers, replaced whole by admins, audited. */
export const policyRouter = router({
  /** The policy as stored now (the defaults when none was saved). */
  get: viewerProcedure.query(({ ctx }) => ctx.services.policies.get()),

  /** Replaces the policy: the defaults and every provider's own rules. */
  save: adminProcedure.input(policySchema).mutation(({ ctx, input }) => ctx.services.manageGuard.savePolicy({ principal: ctx.actor, info: ctx.request }, input)),
});
