/**
 * Runs once when a server instance starts (https://nextjs.org/docs/app/guides/instrumentation):
 * a bad environment stops `next start` at once, with every problem named, instead of failing
 * requests later. Next only logs an error thrown here and serves on, hence the exit. Not at build
 * time: `next build` does not need the secrets.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getEnv } = await import('./server/env');
    try {
      getEnv();
    } catch (err) {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    }
    // Build the services now, not on the first request: their background loops (scheduled
    // refreshes) must run on every instance, including one nobody has called yet.
    const { getServices } = await import('./server/services');
    getServices();
  }
}
