/**
 * The instance's lifecycle, for `instrumentation.ts`: background work starts with the server and
 * SIGTERM is handled here, once per process.
 */
import 'server-only';
import { getServices } from './services';

/**
 * For `instrumentation.ts`: starts the instance's background work (job leases and takeover, schedule
 * ticks, webhook delivery and sweep, the invalidation channel) when the server starts, not on its
 * first request, and stops gracefully on SIGTERM. With NEXT_MANUAL_SIG_HANDLE=true (npm start sets
 * it) Next leaves the signal to us, so the process exits only once leases are released; without it,
 * Next may exit first and the leases expire instead.
 */
export function runInstance(): void {
  const services = getServices();
  services.start();
  services.log.info({ webhooks: services.env.WEBHOOK_URLS.length }, 'instance started');
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    services.log.info({ signal, graceMs: services.env.SHUTDOWN_GRACE_MS }, 'stopping: finishing running jobs, releasing leases');
    const exit = () => {
      services.log.info('stopped');
      services.log.flush();
      services.adminRedis.disconnect();
      services.catalogRedis.disconnect();
      process.exit(0);
    };
    services.shutdown(services.env.SHUTDOWN_GRACE_MS).then(exit, exit);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
