/**
 * Runs jobs in this process, in the background, at most `concurrency` at a time. A job with a free
 * slot starts at once: its first write (`started` and the batch) is on the socket before the request
 * that created it answers, so a subscriber opened on that answer finds `started` in its backlog and
 * waits only for the terminal event. The request never waits for the job (nothing here is awaited).
 * Each job it holds is leased in Redis (worker.ts), so what it queues or runs is never lost with it.
 */
import 'server-only';
import { DomainError } from '~/server/lib/errors';
import type { Logger } from '~/server/log/logger';

export class JobRunner {
  private readonly queue: { id: string; task: () => Promise<void> }[] = [];
  private active = 0;
  private closed = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queueLimit: number,
    private readonly log?: Logger,
  ) {}

  /** Throws BUSY rather than queueing without bound; call before recording a job that will be submitted. */
  ensureCapacity(): void {
    if (this.queue.length >= this.queueLimit) {
      throw new DomainError('BUSY', `Too many invalidations waiting (${this.queue.length}); try again shortly`);
    }
  }

  /** Jobs this instance can still start now without queueing (takeover claims at most this many). */
  get room(): number {
    return this.closed ? 0 : Math.max(0, this.concurrency - this.active - this.queue.length);
  }

  submit(id: string, task: () => Promise<void>): void {
    this.queue.push({ id, task });
    this.pump();
  }

  get pending(): number {
    return this.queue.length + this.active;
  }

  /** Resolves when nothing is queued or running (graceful shutdown, tests). */
  drain(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Starts nothing more; returns the ids of the queued jobs it will never start (to release their leases). */
  close(): string[] {
    this.closed = true;
    const dropped = this.queue.splice(0).map((job) => job.id);
    this.settleIfIdle();
    return dropped;
  }

  private pump(): void {
    while (!this.closed && this.active < this.concurrency && this.queue.length) {
      const job = this.queue.shift();
      if (!job) break;
      this.active += 1;
      // A task that throws synchronously still settles: it is wrapped in a promise.
      void Promise.resolve()
        .then(() => job.task())
        .catch((err: unknown) => this.log?.error({ jobId: job.id, err }, 'a job crashed outside its own error handling'))
        .finally(() => {
          this.active -= 1;
          this.pump();
          this.settleIfIdle();
        });
    }
  }

  private settleIfIdle(): void {
    if (this.pending === 0) this.idle.splice(0).forEach((resolve) => resolve());
  }
}
