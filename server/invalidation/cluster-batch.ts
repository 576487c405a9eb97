/**
 * The engine's cluster path (engine.ts chooses it when the catalog Redis is a Cluster). No MULTI
 * can span slots, so a batch is split into single-slot operations and sent through `sendGrouped`
 * (server/redis/cluster.ts): one pipeline per node, all nodes in parallel, MOVED/ASK and a lost
 * node resent once.
 *
 * What is atomic: each single-slot operation alone (an INCR, an UNLINK of one key, the soft-mark
 * script over a models key and its fence, which share a slot). Nothing across keys: readers may see
 * a batch half applied. Order holds inside one node's pipeline only; operations on different nodes
 * run in parallel. An operation that fails is reported per command and undoes nothing.
 *
 * Round trips: one per batch (the nodes' pipelines in parallel, plus any resends), one more when the
 * batch carries the global command (a second phase: `globalsLast`), and one more when the batch has
 * soft marks (their generations read back). Per-model keys: one per chunk.
 */
import 'server-only';
import type { ChainableCommander, Cluster } from 'ioredis';
import { markStale, prepareCatalogConnection } from '~/server/catalog/fence';
import { sendGrouped, type SlotOp } from '~/server/redis/cluster';
import { callScript } from '~/server/redis/scripts';
import type { Batch, BatchCommand } from './plan';
import type { CommandError } from './schema';

/** The engine's running totals (its EngineOutcome) that a cluster batch adds to. */
interface Totals {
  providersInvalidated: number;
  keysDeleted: number;
  keysMarkedStale: number;
  generations: Map<string | null, string>;
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
export async function runClusterBatch(redis: Cluster, batch: Batch, outcome: Totals) {
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
 * Per-model keys on a cluster: one UNLINK per key (a multi-key command on a slot being migrated
 * fails with TRYAGAIN), grouped by node, one pipeline per node in parallel, MOVED/ASK resent once to
 * the new owner. Not a MULTI: other clients get in between.
 */
export async function unlinkOnCluster(redis: Cluster, keys: string[]): Promise<{ deleted: number; errors: CommandError[] }> {
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
