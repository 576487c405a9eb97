/**
 * Runs once when a server instance starts (https://nextjs.org/docs/app/guides/instrumentation):
 * a bad environment stops `next start` at once, with every problem named, instead of failing
 * requests later (Next only logs an error thrown here and serves on, hence the exit). Then the
 * instance starts its job worker, so jobs of a crashed instance are taken over even before any
 * request arrives, and handles SIGTERM gracefully. Not at build time: `next build` has no secrets.
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
    const { runInstance } = await import('./server/app/lifecycle');
    runInstance();
  }
}
