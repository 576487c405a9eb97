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
import type { RedisClient } from '~/server/redis/cluster';
import type { ChainableCommander, Cluster, Redis } from 'ioredis';
import { markStale, prepareCatalogConnection } from '~/server/catalog/fence';
import { isCluster, sendGrouped, type SlotOp } from '~/server/redis/cluster';
import { isConnectionError } from '~/server/redis/connection';
import { callScript } from '~/server/redis/scripts';
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
 * The per-model keys of a batch's providers, chunk by chunk, with two chunks in flight: the next is
 * sent while the current one's replies are awaited, so Redis is not idle for a round trip between
 * chunks (on a cluster a chunk is one pipeline per node). Counted in order; a failure is reported
 * only once the chunk sent after it has answered too, so every deletion sent is counted.
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
  let previous: Sent | null = null;
  try {
    for await (const chunk of (options.modelKeys as NonNullable<ExecuteOptions['modelKeys']>)(providers)) {
      const current = send(chunk.keys);
      const waiting: Sent | null = previous;
      previous = current;
      if (!waiting) continue;
      const problem = await settle(waiting);
      if (problem) {
        previous = null;
        await settle(current);
        raise(problem);
      }
      await options.onProgress?.({ providersDone: outcome.providersInvalidated, keysDeleted: outcome.keysDeleted });
    }
  } catch (err) {
    // Reading the index failed (or a chunk did): the chunk still in flight is counted before the failure is reported.
    if (previous) await settle(previous);
    if (err instanceof EngineFailure) throw new EngineFailure(err.message, snapshot(outcome), err.commandErrors);
    return fail(err);
  }
  if (previous) {
    const problem = await settle(previous);
    if (problem) raise(problem);
    await options.onProgress?.({ providersDone: outcome.providersInvalidated, keysDeleted: outcome.keysDeleted });
  }
}

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
 * cluster: one UNLINK per key (a multi-key command on a slot being migrated fails with TRYAGAIN),
 * grouped by node, one pipeline per node in parallel, MOVED/ASK resent once to the new owner.
 */
async function unlinkKeys(redis: RedisClient, keys: string[]): Promise<{ deleted: number; errors: CommandError[] }> {
  if (!keys.length) return { deleted: 0, errors: [] };
  if (!isCluster(redis)) return unlinkPipelined(redis, keys);
  const replies = await sendGrouped(redis, keys.map((key) => ({ key, queue: (t: ChainableCommander) => void t.unlink(key) })));
  const errors: CommandError[] = [];
  let deleted = 0;
  replies.forEach(([err, reply], i) => {
    if (err) errors.push({ command: 'UNLINK', keys: [keys[i] as string], error: err.message });
    else deleted += Number(reply);
  });
  return { deleted, errors };
}

/**
 * A batch on a cluster: no MULTI can span slots, so each command is split into single-slot
 * operations (the fence INCR first, then one UNLINK per key; the soft mark is one script over the
 * models key and its fence, which share a slot), sent as one pipeline per node, in parallel.
 * Bumping the fence before the UNLINK keeps a rebuild begun before the invalidation from being
 * stored after it without any atomicity: its write is refused once the fence moved, and a write
 * that landed before the bump is deleted by the UNLINK that follows.
 * The global command (full catalog, provider list, pricing and their fence) goes in a second
 * phase, once every provider operation has answered (`globalsLast`).
 */
async function runClusterBatch(redis: Cluster, batch: Batch, outcome: EngineOutcome) {
  type Op = SlotOp & { command: number; role: 'fence' | 'unlink' | 'stale'; keys: string[] };
  const ops: Op[] = [];
  batch.commands.forEach((command, c) => {
    if (command.op === 'stale') {
      const models = command.keys[0] as string;
      ops.push({
        command: c,
        role: 'stale',
        keys: [models],
        key: models,
        queue: (t) => void callScript(t, markStale, { models, gen: command.fence }, {}),
        prepare: (node) => prepareCatalogConnection(node),
      });
      return;
    }
    ops.push({ command: c, role: 'fence', keys: [command.fence], key: command.fence, queue: (t) => void t.incr(command.fence) });
    for (const key of command.keys) ops.push({ command: c, role: 'unlink', keys: [key], key, queue: (t) => void t.unlink(key) });
  });
  const replies = await globalsLast(redis, ops, (op) => batch.commands[op.command]?.provider === null);
  const errors: CommandError[] = [];
  const failedCommands = new Set<number>();
  replies.forEach(([err, reply], i) => {
    const op = ops[i] as Op;
    const command = batch.commands[op.command] as BatchCommand;
    if (err) {
      failedCommands.add(op.command);
      errors.push({ command: op.role === 'stale' ? 'MARK STALE' : op.role === 'fence' ? 'INCR' : 'UNLINK', keys: op.keys, error: err.message });
      return;
    }
    if (op.role === 'unlink') outcome.keysDeleted += Number(reply);
    if (op.role === 'stale') {
      outcome.keysMarkedStale += Number(reply);
      // The script bumps the fence itself; its reply is the mark, so read the generation on success below.
    }
    if (op.role === 'fence') outcome.generations.set(command.provider, String(reply));
  });
  batch.commands.forEach((command, c) => {
    if (failedCommands.has(c)) return;
    if (command.provider) outcome.providersInvalidated += 1;
  });
  const staleFences = batch.commands.filter((command, c) => command.op === 'stale' && !failedCommands.has(c));
  if (staleFences.length) {
    // Soft marks bump their fences inside the script; the generations are read back (same node pipelines).
    const gens = await sendGrouped(redis, staleFences.map((command) => ({ key: command.fence, queue: (t: ChainableCommander) => void t.get(command.fence) })));
    staleFences.forEach((command, i) => outcome.generations.set(command.provider, String(gens[i]?.[1] ?? '0')));
  }
  return { errors };
}

/**
 * The full catalog's invariant, the job's half (stated whole in server/catalog/full-catalog.ts):
 * the global fence moves, and the full catalog goes, only after every provider's copy is deleted
 * and its fence bumped on every node. On one Redis the batch's MULTI gives that order for free; on
 * a cluster the nodes answer in any order, so the global operations are a second phase, sent once
 * every provider operation has answered: `sendGrouped` returns only after its MOVED/ASK and failover
 * resends, so nothing of the first phase is still on its way. Otherwise a reader that missed the
 * full catalog on the `{global}` node could rebuild it from a copy another node had not yet dropped,
 * at the new generation, and store it for a whole TTL. The second phase runs even when the first
 * had errors (as a MULTI runs the rest of its block); the job then fails and says which. Cost: one
 * round trip more for a cluster batch that carries the global command (the last batch of a cascade
 * or `cacheType: "all"` job), none otherwise.
 */
async function globalsLast<T extends SlotOp>(redis: Cluster, ops: T[], isGlobal: (op: T) => boolean): Promise<[Error | null, unknown][]> {
  const first = ops.filter((op) => !isGlobal(op));
  const second = ops.filter(isGlobal);
  if (!first.length || !second.length) return sendGrouped(redis, ops);
  const replies = new Map<T, [Error | null, unknown]>();
  (await sendGrouped(redis, first)).forEach((reply, i) => replies.set(first[i] as T, reply));
  (await sendGrouped(redis, second)).forEach((reply, i) => replies.set(second[i] as T, reply));
  return ops.map((op) => replies.get(op) ?? [new Error('no reply'), null]);
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
