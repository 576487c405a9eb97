/**
 * The batch engine: every command of a batch goes to Redis as one MULTI/EXEC, sent in a single
 * write, so a batch costs one round trip whatever the number of providers in it. Each provider's
 * UNLINK (or soft mark) is followed by an INCR of its generation in the same block: the fence that
 * drops any rebuild begun before it (server/catalog/fence.ts).
 *
 * What is atomic: each batch. Redis runs a MULTI block without interleaving other clients' commands,
 * so no reader sees a provider half-invalidated or the full catalog outliving the providers of its
 * batch. A plan bigger than INVALIDATION_BATCH_KEYS keys has several batches, and readers may run
 * between them. MULTI has no rollback: a command that fails inside EXEC does not undo the others;
 * such errors are reported per command.
 */
import 'server-only';
import type { ChainableCommander, Redis } from 'ioredis';
import { markStale } from '~/server/catalog/fence';
import { isConnectionError } from '~/server/redis/connection';
import { callScript } from '~/server/redis/scripts';
import type { Batch, BatchCommand, InvalidationPlan } from './plan';
import type { CommandError } from './schema';

export interface BatchProgress {
  providersDone: number;
  keysDeleted: number;
}

export interface EngineOutcome {
  providersInvalidated: number;
  keysDeleted: number;
  /** Soft invalidation: models hashes marked stale. */
  keysMarkedStale: number;
  /** The generation each provider (and `null`: the globals) has after this job's bump. */
  generations: Map<string | null, string>;
}

/**
 * Commands queued ahead of the first batch in the same MULTI (the job's `started` write, when the
 * catalog and the jobs share one Redis): they cost no round trip of their own.
 */
export interface Prelude {
  queue(multi: ChainableCommander): void;
  /** Sees the prelude's replies; may throw to fail the job. */
  check(replies: [Error | null, unknown][]): void;
}

/** Thrown when a batch could not run or a command in it failed; carries what was done before. */
export class EngineFailure extends Error {
  constructor(
    message: string,
    readonly outcome: EngineOutcome,
    readonly commandErrors: CommandError[],
  ) {
    super(message);
    this.name = 'EngineFailure';
  }
}

export async function executePlan(
  redis: Redis,
  plan: InvalidationPlan,
  options: { prelude?: Prelude; onBatch?: (progress: BatchProgress, last: boolean) => Promise<void> } = {},
): Promise<EngineOutcome> {
  const outcome: EngineOutcome = { providersInvalidated: 0, keysDeleted: 0, keysMarkedStale: 0, generations: new Map() };
  for (const [index, batch] of plan.batches.entries()) {
    const prelude = index === 0 ? options.prelude : undefined;
    const { errors } = await runBatch(redis, batch, outcome, prelude).catch((err: unknown) => {
      throw new EngineFailure(describeRedisFailure(err), snapshot(outcome), queuedErrors(err));
    });
    if (errors.length) {
      throw new EngineFailure(`${errors.length} Redis command(s) failed during invalidation`, snapshot(outcome), errors);
    }
    const last = index === plan.batches.length - 1;
    await options.onBatch?.({ providersDone: outcome.providersInvalidated, keysDeleted: outcome.keysDeleted }, last);
  }
  return outcome;
}

const snapshot = (o: EngineOutcome): EngineOutcome => ({ ...o, generations: new Map(o.generations) });

function queueCommand(multi: ChainableCommander, command: BatchCommand): void {
  if (command.op === 'stale') callScript(multi, markStale, { models: command.keys[0] as string, gen: command.fence }, {});
  else multi.unlink(...command.keys);
  multi.incr(command.fence);
}

async function runBatch(redis: Redis, batch: Batch, outcome: EngineOutcome, prelude?: Prelude) {
  const multi = redis.multi();
  const queuedBefore = multi.length; // ioredis counts the MULTI itself, whose reply EXEC does not return
  prelude?.queue(multi);
  const preludeLength = multi.length - queuedBefore;
  for (const command of batch.commands) queueCommand(multi, command);
  const replies = await untilConnectionCloses(redis, multi.exec());
  if (!replies) throw new Error('the transaction was aborted');
  prelude?.check(replies.slice(0, preludeLength));
  const errors: CommandError[] = [];
  batch.commands.forEach((command, i) => {
    // A command can fail inside EXEC (MULTI has no rollback): the others of the block still ran.
    const [err, reply] = replies[preludeLength + i * 2] ?? [new Error('no reply'), null];
    const [fenceErr, generation] = replies[preludeLength + i * 2 + 1] ?? [new Error('no reply'), null];
    if (err) errors.push({ command: command.op === 'stale' ? 'MARK STALE' : 'UNLINK', keys: command.keys, error: err.message });
    else if (command.op === 'stale') outcome.keysMarkedStale += Number(reply);
    else outcome.keysDeleted += Number(reply);
    // Without its fence bump a rebuild begun before could still write back: not safely invalidated.
    if (fenceErr) errors.push({ command: 'INCR', keys: [command.fence], error: fenceErr.message });
    if (err || fenceErr) return;
    outcome.generations.set(command.provider, String(generation));
    if (command.provider) outcome.providersInvalidated += 1;
  });
  return { errors };
}

/**
 * ioredis 6, with autoResendUnfulfilledCommands off, drops commands that were in flight when the
 * connection closed without ever settling their promises. Fail the batch on 'close' instead.
 */
async function untilConnectionCloses<T>(redis: Redis, pending: Promise<T>): Promise<T> {
  let onClose = () => {};
  const closed = new Promise<never>((_, reject) => {
    onClose = () => reject(new Error('Connection is closed while the batch was in flight'));
    redis.once('close', onClose);
  });
  try {
    return await Promise.race([pending, closed]);
  } finally {
    redis.off('close', onClose);
  }
}

/**
 * When Redis refuses a command while queueing it (NOPERM from an ACL, an unknown command), EXEC is
 * discarded (EXECABORT) and nothing in the batch runs; ioredis lists the refusals in `previousErrors`.
 */
function queuedErrors(err: unknown): CommandError[] {
  const previous = (err as { previousErrors?: (Error & { command?: { name?: string; args?: unknown[] } })[] }).previousErrors ?? [];
  return previous.map((e) => ({
    command: (e.command?.name ?? 'unlink').toUpperCase(),
    keys: (e.command?.args ?? []).map(String),
    error: e.message,
  }));
}

/** A message a person understands, with Redis's own words kept. */
export function describeRedisFailure(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (/timed out/i.test(text)) {
    return `Redis did not answer in time (${text}); the deletions of this batch may or may not have been applied`;
  }
  if (/in flight/.test(text)) return `Lost the connection to Redis during the batch; it may or may not have been applied: ${text}`;
  if (isConnectionError(err)) return `Redis is unreachable: ${text}`;
  if (/EXECABORT/.test(text)) return `Redis refused the batch and applied none of it: ${text}`;
  return `Redis rejected the invalidation: ${text}`;
}
