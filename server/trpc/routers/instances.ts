import 'server-only';
import { router, viewerProcedure } from '../init';

export const instancesRouter = router({
  /**
   * The live instances and gateways (heartbeat younger than INSTANCE_TTL_MS), most recent
   * heartbeat first: id, kind, version, since, last heartbeat, copies held; `self` marks the
   * instance that answered.
   */
  list: viewerProcedure.query(({ ctx }) => ctx.services.presence.live()),
});
