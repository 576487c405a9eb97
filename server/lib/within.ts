/**
 * `promise`, or a rejection after `ms`: for a read that must not hold up its caller (a scrape, a
 * catalog write) when a Redis is slow rather than down. The timer does not keep the process alive.
 */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
