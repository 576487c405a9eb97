/**
 * Runs jobs in this process, in the background, at most `concurrency` at a time. Jobs start on a
 * later tick than their submission, so the request that queued one has always answered first.
 * A seam for later: a Redis-backed queue with leases can replace it without touching the engine.
 */
import { DomainError } from './errors';

export class JobRunner {
  private readonly queue: (() => Promise<void>)[] = [];
  private active = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queueLimit: number,
  ) {}

  /** Throws BUSY rather than queueing without bound; call before recording a job that will be submitted. */
  ensureCapacity(): void {
    if (this.queue.length >= this.queueLimit) {
      throw new DomainError('BUSY', `Too many invalidations waiting (${this.queue.length}); try again shortly`);
    }
  }

  submit(task: () => Promise<void>): void {
    this.ensureCapacity();
    this.queue.push(task);
    setImmediate(() => this.pump());
  }

  get pending(): number {
    return this.queue.length + this.active;
  }

  /** Resolves when nothing is queued or running (graceful shutdown, tests). */
  drain(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.active < this.concurrency && this.queue.length) {
      const task = this.queue.shift();
      if (!task) break;
      this.active += 1;
      void task()
        .catch((err: unknown) => console.error('[jobs] a job crashed outside its own error handling:', err))
        .finally(() => {
          this.active -= 1;
          this.pump();
          if (this.pending === 0) this.idle.splice(0).forEach((resolve) => resolve());
        });
    }
  }
}
