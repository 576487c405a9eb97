import 'server-only';
import { viewerProcedure, router } from '../init';
import { live } from '../live';

export const activityRouter = router({
  /**
   * Live notifications: job events from any instance or client, catalog rebuilds. Not resumable
   * (no ids): a view that reconnects refetches what it shows.
   */
  feed: viewerProcedure.subscription(({ ctx, signal }) => live(ctx, signal, () => ctx.services.activity.follow(signal))),
});
