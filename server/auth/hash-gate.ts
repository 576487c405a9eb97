/**
 * A bound on password hashes running at once in this process. scrypt runs on libuv's thread pool
 * (4 threads by default), which DNS lookups, file reads and zlib share: a flood of bogus sign-ins
 * must not take all of it. At most `concurrency` hashes run; `queue` more wait their turn; beyond
 * that the call is refused at once (RATE_LIMITED, retry in 1 s), before any hashing.
 */
import 'server-only';
import { DomainError } from '~/server/lib/errors';

export type HashGate = ReturnType<typeof createHashGate>;

export function createHashGate(concurrency: number, queue: number) {
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  return {
    /** Runs `work` when a slot is free; throws RATE_LIMITED when every slot and queue place is taken. */
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running < concurrency) running++;
      else if (waiting.length < queue) await new Promise<void>((resolve) => waiting.push(resolve));
      else throw new DomainError('RATE_LIMITED', 'Too many password checks at once; try again in 1 seconds', { retryAfterSeconds: 1 });
      try {
        return await work();
      } finally {
        release();
      }
    },
    /** For tests and metrics: hashes running and waiting now. */
    load: () => ({ running, waiting: waiting.length }),
  };
}
