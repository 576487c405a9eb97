/**
 * The instance's lifecycle, for `instrumentation.ts`: background work starts with the server and
 * SIGTERM is handled here, once per process.
 */
import 'server-only';
import { getServices } from './services';

/**
 * For `instrumentation.ts`: starts the job worker (lease renewal, takeover of crashed instances'
 * jobs) when the server starts, not on its first request, and stops gracefully on SIGTERM. With
 * NEXT_MANUAL_SIG_HANDLE=true (npm start sets it) Next leaves the signal to us, so the process
 * exits only once leases are released; without it, Next may exit first and the leases expire instead.
 */
export function runInstance(): void {
  const services = getServices();
  services.invalidation.worker.start();
  // Every instance ticks; the claim in Redis makes exactly one of them fire each period.
  services.schedules.scheduler.start();
  // Every instance delivers; the claim script hands each due delivery to one of them.
  services.webhooks.start();
  // And sweeps: a job whose instance died between its terminal write and its enqueue gets its webhooks.
  services.webhookSweep.start();
  // Registers and subscribes to invalidations: the in-process tier serves hits only once this holds.
  services.presence.start().catch((err: unknown) => services.log.error({ err }, 'could not join the invalidation channel; reads go to Redis until it is back'));
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
