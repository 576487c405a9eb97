/**
 * The batch engine: every deletion of a batch goes to Redis as one MULTI/EXEC of UNLINKs, sent in a
 * single write, so a batch costs one round trip whatever the number of providers in it.
 *
 * What is atomic: each batch. Redis runs a MULTI block without interleaving other clients' commands,
 * so no reader sees a provider half-invalidated or the full catalog outliving the providers of its
 * batch. A plan bigger than INVALIDATION_BATCH_KEYS keys has several batches, and readers may run
 * between them. MULTI has no rollback: a command that fails inside EXEC does not undo the others;
 * such errors are reported per command.
 */
import type { Redis } from 'ioredis';
import { isConnectionError } from '~/server/redis/connection';
import type { Batch, InvalidationPlan } from './plan';
import type { CommandError } from './schema';

export interface BatchProgress {
  providersDone: number;
  keysDeleted: number;
}

export interface EngineOutcome {
  providersInvalidated: number;
  keysDeleted: number;
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
  onBatch: (progress: BatchProgress) => Promise<void>,
): Promise<EngineOutcome> {
  const outcome: EngineOutcome = { providersInvalidated: 0, keysDeleted: 0 };
  for (const batch of plan.batches) {
    const { deleted, providersOk, errors } = await runBatch(redis, batch).catch((err: unknown) => {
      throw new EngineFailure(describeRedisFailure(err), { ...outcome }, queuedErrors(err));
    });
    outcome.keysDeleted += deleted;
    outcome.providersInvalidated += providersOk;
    if (errors.length) {
      throw new EngineFailure(`${errors.length} Redis command(s) failed during invalidation`, { ...outcome }, errors);
    }
    await onBatch({ providersDone: outcome.providersInvalidated, keysDeleted: outcome.keysDeleted });
  }
  return outcome;
}

async function runBatch(redis: Redis, batch: Batch) {
  const multi = redis.multi();
  for (const command of batch.commands) multi.unlink(...command.keys);
  const replies = await untilConnectionCloses(redis, multi.exec());
  if (!replies) throw new Error('the transaction was aborted');
  let deleted = 0;
  let providersOk = 0;
  const errors: CommandError[] = [];
  replies.forEach(([err, reply], i) => {
    const command = batch.commands[i];
    if (!command) return;
    if (err) {
      errors.push({ command: 'UNLINK', keys: command.keys, error: err.message });
      return;
    }
    deleted += Number(reply);
    if (command.provider) providersOk += 1;
  });
  return { deleted, providersOk, errors };
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
