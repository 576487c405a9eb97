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
      throw new EngineFailure(describeRedisFailure(err), { ...outcome }, []);
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
  const replies = await multi.exec();
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

/** A message a person understands, with Redis's own words kept. */
export function describeRedisFailure(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (/timed out/i.test(text)) {
    return `Redis did not answer in time (${text}); the deletions of this batch may or may not have been applied`;
  }
  if (/ECONNREFUSED|Connection is closed|max retries|ECONNRESET|writeable|EPIPE/i.test(text)) {
    return `Redis is unreachable: ${text}`;
  }
  return `Redis rejected the invalidation: ${text}`;
}
