/**
 * Job leases across instances. The instance that creates a job takes its lease in the create round
 * trip; this worker renews every lease it holds in one script call every third of JOB_LEASE_MS (off
 * the hot path), and every half lease looks for expired leases: the job of an instance that died.
 * It takes those over and runs them again from the start: deletion is idempotent and every write is
 * fenced by the lease token, so a presumed-dead runner that wakes up cannot report twice. A crashed
 * job is thus taken over within 1.5 × JOB_LEASE_MS of the crash; its result names both instances.
 */
import 'server-only';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '~/server/lib/errors';
import { actorLabel, type Logger } from '~/server/log/logger';
import type { JobTicket } from './job';
import type { JobObserver } from './observer';
import type { InvalidationPlan } from './plan';
import type { JobRunner } from './runner';
import type { InvalidationResult, JobRecord } from './schema';
import type { JobStore } from './store/store';

export interface WorkerDeps {
  store: JobStore;
  runner: JobRunner;
  leaseMs: number;
  now: () => number;
  run: (ticket: JobTicket) => Promise<void>;
  /** The plan of a job taken over, from its recorded request (throws if this instance cannot plan it). */
  replan: (record: JobRecord) => InvalidationPlan;
  instanceId?: string;
  log: Logger;
  observer?: JobObserver;
}

export type JobWorker = ReturnType<typeof createJobWorker>;

export function createJobWorker(deps: WorkerDeps) {
  const { store, runner, leaseMs, now } = deps;
  const instanceId = deps.instanceId ?? `${hostname()}:${process.pid}`;
  /** Job id → lease token, for every job this instance queued or runs. */
  const held = new Map<string, string>();
  const timers: NodeJS.Timeout[] = [];
  let accepting = true;

  const newLease = () => ({ token: `${instanceId}/${randomBytes(6).toString('hex')}`, expiresAt: now() + leaseMs });

  function ensureAccepting(): void {
    if (!accepting) throw new DomainError('UNAVAILABLE', 'This server is shutting down; send the request again and another instance will take it');
  }

  function run(ticket: JobTicket): void {
    held.set(ticket.jobId, ticket.token);
    runner.submit(ticket.jobId, () => deps.run(ticket).finally(() => held.delete(ticket.jobId)));
  }

  async function renew(): Promise<void> {
    for (const lost of await store.setLeaseExpiry(now() + leaseMs, [...held])) held.delete(lost);
  }

  /** Claims expired leases (as many as there is room for) and runs their jobs; returns their ids. */
  async function takeOver(): Promise<string[]> {
    const room = accepting ? runner.room : 0;
    if (!room) return [];
    const { token, expiresAt } = newLease();
    const claimed = await store.claimExpiredLeases(now(), expiresAt, token, room);
    for (const { jobId, previous } of claimed) await resume(jobId, token, previous.split('/')[0] || 'an unknown instance');
    return claimed.map((c) => c.jobId);
  }

  async function resume(jobId: string, token: string, from: string): Promise<void> {
    const record = await store.get(jobId).catch(() => null);
    if (!record || record.status === 'completed' || record.status === 'failed') return store.forget(jobId);
      const takenOver = { by: instanceId, from, attempt: record.attempt + 1 };
    deps.log.warn({ jobId, actor: actorLabel(record.actor), from, attempt: takenOver.attempt }, 'taking the job over (its lease expired)');
    deps.observer?.takenOver?.({ jobId, from, by: instanceId, attempt: takenOver.attempt });
    let plan: InvalidationPlan;
    try {
      plan = deps.replan(record);
    } catch (err) {
      return void (await failUnplannable(jobId, token, takenOver, err));
    }
    run({ jobId, plan, token, attempt: takenOver.attempt, takenOver, actor: record.actor });
  }

  async function failUnplannable(jobId: string, token: string, takenOver: InvalidationResult['takenOver'], err: unknown) {
    const at = now();
    const result: InvalidationResult = { success: false, providersInvalidated: 0, keysDeleted: 0, durationMs: 0, takenOver };
    const error = { message: `Taken over by ${instanceId}, which cannot run it: ${err instanceof Error ? err.message : String(err)}`, commandErrors: [] };
    deps.log.error({ jobId, error: error.message }, 'job failed: taken over, but this instance cannot plan it');
    const record = await store.finish(jobId, token, { status: 'failed', finishedAt: at, result, error }, { type: 'failed', at, error, result });
    if (record) deps.observer?.finished?.({ jobId, record, status: 'failed', result, error });
  }

  /** Starts renewing and taking over (the app does; tests drive `renew` and `takeOver` directly). */
  function start(): void {
    const every = (ms: number, work: () => Promise<unknown>) => {
      const timer = setInterval(() => void work().catch((err: unknown) => deps.log.warn({ err }, 'lease work failed')), ms);
      timer.unref();
      timers.push(timer);
    };
    every(Math.max(50, Math.floor(leaseMs / 3)), renew);
    every(Math.max(50, Math.floor(leaseMs / 2)), takeOver);
    void takeOver().catch(() => {});
  }

  /**
   * Graceful stop: takes no new job, releases the leases of queued jobs at once (another instance
   * takes them on its next look), lets running jobs finish for up to `graceMs`, then releases the rest.
   */
  async function shutdown(graceMs: number): Promise<void> {
    accepting = false;
    timers.splice(0).forEach(clearInterval);
    const release = (ids: string[]) => store.setLeaseExpiry(0, ids.flatMap((id) => (held.has(id) ? [[id, held.get(id) as string] as [string, string]] : []))).catch(() => []);
    const dropped = runner.close();
    await release(dropped);
    dropped.forEach((id) => held.delete(id));
    const stopWaiting = new AbortController();
    await Promise.race([runner.drain(), sleep(graceMs, undefined, { signal: stopWaiting.signal }).catch(() => {})]);
    stopWaiting.abort();
    await release([...held.keys()]);
  }

  return { instanceId, newLease, ensureAccepting, accepting: () => accepting, run, renew, takeOver, start, shutdown, held: () => [...held.keys()] };
}
