/**
 * The batch engine: runs a plan's batches in order and chooses how each goes to Redis. On one
 * Redis (this file) every command of a batch goes as one MULTI/EXEC, sent in a single write, so a
 * batch costs one round trip whatever the number of providers in it. On a cluster no MULTI spans
 * slots: the batch goes as single-slot operations, one pipeline per node (cluster-batch.ts, which
 * says what is atomic there). Each provider's UNLINK (or soft mark) comes with an INCR of its
 * generation: the fence that drops any rebuild begun before it (server/catalog/fence.ts).
 *
 * What is atomic on one Redis: each batch. Redis runs a MULTI block without interleaving other
 * clients' commands, so no reader sees a provider half-invalidated or the full catalog outliving the
 * providers of its batch. A plan bigger than INVALIDATION_BATCH_KEYS keys has several batches, and
 * readers may run between them. MULTI has no rollback: a command that fails inside EXEC does not
 * undo the others; such errors are reported per command.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import type { ChainableCommander, Redis } from 'ioredis';
import { markStale } from '~/server/catalog/fence';
import { isCluster } from '~/server/redis/cluster';
import { isConnectionError } from '~/server/redis/connection';
import { callScript } from '~/server/redis/scripts';
import { runClusterBatch, unlinkOnCluster } from './cluster-batch';
import type { ModelKeyChunk } from './model-keys';
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

/**
 * Commands queued after the last batch's commands in its MULTI (the read of who is live, for the
 * job's announcement): atomic with the deletions, no round trip of their own. Not sent on a
 * cluster (no MULTI spans the slots); `check` is then never called.
 */
export interface Coda {
  queue(multi: ChainableCommander): void;
  check(replies: [Error | null, unknown][]): void;
}

export interface ExecuteOptions {
  prelude?: Prelude;
  coda?: Coda;
  onBatch?: (progress: BatchProgress, last: boolean) => Promise<void>;
  /** The per-model keys of a batch's providers, streamed in bounded chunks (model-keys.ts); deleted before the batch. */
  modelKeys?: (providers: string[]) => AsyncIterable<ModelKeyChunk>;
  /** After each chunk of per-model keys: the job decides whether a `progress` event is due. */
  onProgress?: (progress: BatchProgress) => Promise<void>;
}

export async function executePlan(redis: RedisClient, plan: InvalidationPlan, options: ExecuteOptions = {}): Promise<EngineOutcome> {
  const outcome: EngineOutcome = { providersInvalidated: 0, keysDeleted: 0, keysMarkedStale: 0, generations: new Map() };
  const fail = (err: unknown): never => {
    if (err instanceof EngineFailure) throw err;
    throw new EngineFailure(describeRedisFailure(err), snapshot(outcome), queuedErrors(err));
  };
  const cluster = isCluster(redis);
  const streaming = plan.modelKeys === true && options.modelKeys !== undefined;
  let prelude = options.prelude;
  // The job's `started` write must land before any deletion. It rides in the first batch's MULTI when
  // that batch is the first write; on a cluster (other slots) or before per-model deletions it goes alone.
  if (prelude && (cluster || streaming)) {
    await runPrelude(redis, prelude).catch(fail);
    prelude = undefined;
  }
  for (const [index, batch] of plan.batches.entries()) {
    if (streaming && batch.providers.length) await deleteModelKeys(redis, batch.providers, outcome, options, fail);
    const first = index === 0 ? prelude : undefined;
    const last = index === plan.batches.length - 1;
    const coda = last ? options.coda : undefined;
    const { errors } = await (isCluster(redis) ? runClusterBatch(redis, batch, outcome) : runBatch(redis, batch, outcome, first, coda)).catch(fail);
    if (errors.length) {
      throw new EngineFailure(`${errors.length} Redis command(s) failed during invalidation`, snapshot(outcome), errors);
    }
    await options.onBatch?.({ providersDone: outcome.providersInvalidated, keysDeleted: outcome.keysDeleted }, last);
  }
  return outcome;
}

const snapshot = (o: EngineOutcome): EngineOutcome => ({ ...o, generations: new Map(o.generations) });

/**
 * The per-model keys of a batch's providers, chunk by chunk, DEPTH_ONE or DEPTH_CLUSTER chunks in
 * flight (on a cluster two: the next is sent while the current one's replies are awaited, so the
 * nodes are not idle for a round trip between chunks; a chunk is one pipeline per node). Counted in
 * order; a failure is reported only once every chunk sent after it has answered too, so every
 * deletion sent is counted.
 */
async function deleteModelKeys(redis: RedisClient, providers: string[], outcome: EngineOutcome, options: ExecuteOptions, fail: (err: unknown) => never): Promise<void> {
  type Sent = Promise<{ deleted: number; errors: CommandError[] } | { failed: unknown }>;
  const send = (keys: string[]): Sent => unlinkKeys(redis, keys).catch((failed: unknown) => ({ failed }));
  const settle = async (sent: Sent): Promise<CommandError[] | unknown> => {
    const done = await sent;
    if ('failed' in done) return done.failed;
    outcome.keysDeleted += done.deleted;
    return done.errors.length ? done.errors : null;
  };
  const raise = (problem: unknown): never => {
    if (Array.isArray(problem)) throw new EngineFailure(`${problem.length} Redis command(s) failed while deleting per-model keys`, snapshot(outcome), problem as CommandError[]);
    return fail(problem);
  };
  const depth = isCluster(redis) ? DEPTH_CLUSTER : DEPTH_ONE;
  const inFlight: Sent[] = [];
  const settleAll = async (): Promise<unknown> => {
    let first: unknown = null;
    while (inFlight.length) {
      const problem = await settle(inFlight.shift() as Sent);
      first ??= problem;
    }
    return first;
  };
  try {
    for await (const chunk of (options.modelKeys as NonNullable<ExecuteOptions['modelKeys']>)(providers)) {
      inFlight.push(send(chunk.keys));
      if (inFlight.length < depth) continue;
      const problem = await settle(inFlight.shift() as Sent);
      if (problem) {
        await settleAll();
        raise(problem);
      }
      await options.onProgress?.({ providersDone: outcome.providersInvalidated, keysDeleted: outcome.keysDeleted });
    }
  } catch (err) {
    // Reading the index failed (or a chunk did): the chunks still in flight are counted before the failure is reported.
    await settleAll();
    if (err instanceof EngineFailure) throw new EngineFailure(err.message, snapshot(outcome), err.commandErrors);
    return fail(err);
  }
  if (inFlight.length) {
    const problem = await settleAll();
    if (problem) raise(problem);
    await options.onProgress?.({ providersDone: outcome.providersInvalidated, keysDeleted: outcome.keysDeleted });
  }
}

/**
 * Chunks of per-model keys in flight. One Redis: one, as the bare loop sends them: this process and
 * Redis then take turns on the CPU instead of both running flat out, which left another client's
 * GET waiting for a core (p99 1.3× the bare loop's with one in flight, 3.9× with two, in the same
 * loaded runs of `npm run bench -- --million`; keys/s the same within the noise, this process being
 * the bottleneck). A cluster: two, so each node is not idle for a round trip between chunks (the
 * cluster's goal is its share of the bare loop's rate; its GET p99 stayed below the bare loop's).
 */
const DEPTH_ONE = 1;
const DEPTH_CLUSTER = 2;

async function runPrelude(redis: RedisClient, prelude: Prelude): Promise<void> {
  const multi = redis.multi();
  prelude.queue(multi);
  const replies = await untilConnectionCloses(redis, multi.exec());
  if (!replies) throw new Error('the transaction that starts the job was aborted');
  prelude.check(replies);
}

/**
 * Keys per UNLINK on one server. Redis runs a command whole, so other clients wait for it: 5,000
 * small keys in one UNLINK held a GET up to ~30 ms (p99) in the million-key bench, 1,000 per command
 * (as the bare loop sends them) keeps it near the bare loop's, at the same throughput.
 */
const UNLINK_KEYS_PER_COMMAND = 1000;

/**
 * Deletes keys that need no fence (per-model keys). One server: the chunk as UNLINKs of at most
 * UNLINK_KEYS_PER_COMMAND keys in one pipeline (not a MULTI: other clients get in between). A
 * cluster: one UNLINK per key, grouped by node (cluster-batch.ts).
 */
async function unlinkKeys(redis: RedisClient, keys: string[]): Promise<{ deleted: number; errors: CommandError[] }> {
  if (!keys.length) return { deleted: 0, errors: [] };
  return isCluster(redis) ? unlinkOnCluster(redis, keys) : unlinkPipelined(redis, keys);
}
function queueCommand(multi: ChainableCommander, command: BatchCommand): void {
  if (command.op === 'stale') callScript(multi, markStale, { models: command.keys[0] as string, gen: command.fence }, {});
  else multi.unlink(...command.keys);
  multi.incr(command.fence);
}

async function runBatch(redis: RedisClient, batch: Batch, outcome: EngineOutcome, prelude?: Prelude, coda?: Coda) {
  const multi = redis.multi();
  const queuedBefore = multi.length; // ioredis counts the MULTI itself, whose reply EXEC does not return
  prelude?.queue(multi);
  const preludeLength = multi.length - queuedBefore;
  for (const command of batch.commands) queueCommand(multi, command);
  const codaStart = multi.length - queuedBefore;
  coda?.queue(multi);
  const replies = await untilConnectionCloses(redis, multi.exec());
  if (!replies) throw new Error('the transaction was aborted');
  prelude?.check(replies.slice(0, preludeLength));
  coda?.check(replies.slice(codaStart));
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
async function unlinkPipelined(redis: Redis, keys: string[]): Promise<{ deleted: number; errors: CommandError[] }> {
  const pipeline = redis.pipeline();
  const commands: string[][] = [];
  for (let i = 0; i < keys.length; i += UNLINK_KEYS_PER_COMMAND) commands.push(keys.slice(i, i + UNLINK_KEYS_PER_COMMAND));
  for (const command of commands) pipeline.unlink(...command);
  const replies: [Error | null, unknown][] = (await untilConnectionCloses(redis, pipeline.exec())) ?? [];
  const errors: CommandError[] = [];
  let deleted = 0;
  replies.forEach(([err, reply], i) => {
    if (err) errors.push({ command: 'UNLINK', keys: commands[i] ?? [], error: err.message });
    else deleted += Number(reply);
  });
  return { deleted, errors };
}

async function untilConnectionCloses<T>(redis: RedisClient, pending: Promise<T>): Promise<T> {
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
