/**
 * A background loop: runs `fn` every `ms`, never two at once (the next run is timed from the end
 * of the last, so a slow run delays the next instead of piling up), and `stop()` waits for the run
 * in flight. `kick()` runs it as soon as possible (at once, or right after the run in flight).
 * Errors go to `onError`; the loop goes on. Timers are unref'd: a loop never keeps a process alive.
 */
export interface Loop {
  /** Starts the loop; the first run comes after `firstDelayMs` (default: one period). Idempotent. */
  start(firstDelayMs?: number): void;
  /** Runs now, or right after the run in flight; ignored while stopped. */
  kick(): void;
  /** Stops the loop and waits for the run in flight. */
  stop(): Promise<void>;
  running(): boolean;
}

export function every(ms: number, fn: () => Promise<unknown>, onError: (err: unknown) => void): Loop {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<unknown> | null = null;
  let running = false;
  let again = false;

  function schedule(delay: number): void {
    timer = setTimeout(() => {
      timer = undefined;
      inFlight = fn()
        .catch(onError)
        .finally(() => {
          inFlight = null;
          if (!running) return;
          const soon = again;
          again = false;
          schedule(soon ? 0 : ms);
        });
    }, delay);
    timer.unref?.();
  }

  return {
    start(firstDelayMs = ms): void {
      if (running) return;
      running = true;
      schedule(firstDelayMs);
    },
    kick(): void {
      if (!running) return;
      if (inFlight) {
        again = true;
        return;
      }
      clearTimeout(timer);
      schedule(0);
    },
    async stop(): Promise<void> {
      running = false;
      again = false;
      clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
    running: () => running,
  };
}
