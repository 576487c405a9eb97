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
// @ts-nocheck
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
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
  constructor(message: string, readonly outcome: EngineOutcome, readonly commandErrors: CommandError[]) {
    super(message);
    this.name = stryMutAct_9fa48("333") ? "" : (stryCov_9fa48("333"), 'EngineFailure');
  }
}
export async function executePlan(redis: Redis, plan: InvalidationPlan, options: {
  prelude?: Prelude;
  onBatch?: (progress: BatchProgress, last: boolean) => Promise<void>;
} = {}): Promise<EngineOutcome> {
  if (stryMutAct_9fa48("334")) {
    {}
  } else {
    stryCov_9fa48("334");
    const outcome: EngineOutcome = stryMutAct_9fa48("335") ? {} : (stryCov_9fa48("335"), {
      providersInvalidated: 0,
      keysDeleted: 0,
      keysMarkedStale: 0,
      generations: new Map()
    });
    for (const [index, batch] of plan.batches.entries()) {
      if (stryMutAct_9fa48("336")) {
        {}
      } else {
        stryCov_9fa48("336");
        const prelude = (stryMutAct_9fa48("339") ? index !== 0 : stryMutAct_9fa48("338") ? false : stryMutAct_9fa48("337") ? true : (stryCov_9fa48("337", "338", "339"), index === 0)) ? options.prelude : undefined;
        const {
          errors
        } = await runBatch(redis, batch, outcome, prelude).catch((err: unknown) => {
          if (stryMutAct_9fa48("340")) {
            {}
          } else {
            stryCov_9fa48("340");
            throw new EngineFailure(describeRedisFailure(err), snapshot(outcome), queuedErrors(err));
          }
        });
        if (stryMutAct_9fa48("342") ? false : stryMutAct_9fa48("341") ? true : (stryCov_9fa48("341", "342"), errors.length)) {
          if (stryMutAct_9fa48("343")) {
            {}
          } else {
            stryCov_9fa48("343");
            throw new EngineFailure(stryMutAct_9fa48("344") ? `` : (stryCov_9fa48("344"), `${errors.length} Redis command(s) failed during invalidation`), snapshot(outcome), errors);
          }
        }
        const last = stryMutAct_9fa48("347") ? index !== plan.batches.length - 1 : stryMutAct_9fa48("346") ? false : stryMutAct_9fa48("345") ? true : (stryCov_9fa48("345", "346", "347"), index === (stryMutAct_9fa48("348") ? plan.batches.length + 1 : (stryCov_9fa48("348"), plan.batches.length - 1)));
        await (stryMutAct_9fa48("349") ? options.onBatch({
          providersDone: outcome.providersInvalidated,
          keysDeleted: outcome.keysDeleted
        }, last) : (stryCov_9fa48("349"), options.onBatch?.(stryMutAct_9fa48("350") ? {} : (stryCov_9fa48("350"), {
          providersDone: outcome.providersInvalidated,
          keysDeleted: outcome.keysDeleted
        }), last)));
      }
    }
    return outcome;
  }
}
const snapshot = stryMutAct_9fa48("351") ? () => undefined : (stryCov_9fa48("351"), (() => {
  const snapshot = (o: EngineOutcome): EngineOutcome => stryMutAct_9fa48("352") ? {} : (stryCov_9fa48("352"), {
    ...o,
    generations: new Map(o.generations)
  });
  return snapshot;
})());
function queueCommand(multi: ChainableCommander, command: BatchCommand): void {
  if (stryMutAct_9fa48("353")) {
    {}
  } else {
    stryCov_9fa48("353");
    if (stryMutAct_9fa48("356") ? command.op !== 'stale' : stryMutAct_9fa48("355") ? false : stryMutAct_9fa48("354") ? true : (stryCov_9fa48("354", "355", "356"), command.op === (stryMutAct_9fa48("357") ? "" : (stryCov_9fa48("357"), 'stale')))) callScript(multi, markStale, stryMutAct_9fa48("358") ? [] : (stryCov_9fa48("358"), [command.keys[0] as string, command.fence]), stryMutAct_9fa48("359") ? ["Stryker was here"] : (stryCov_9fa48("359"), []));else multi.unlink(...command.keys);
    multi.incr(command.fence);
  }
}
async function runBatch(redis: Redis, batch: Batch, outcome: EngineOutcome, prelude?: Prelude) {
  if (stryMutAct_9fa48("360")) {
    {}
  } else {
    stryCov_9fa48("360");
    const multi = redis.multi();
    const queuedBefore = multi.length; // ioredis counts the MULTI itself, whose reply EXEC does not return
    stryMutAct_9fa48("361") ? prelude.queue(multi) : (stryCov_9fa48("361"), prelude?.queue(multi));
    const preludeLength = stryMutAct_9fa48("362") ? multi.length + queuedBefore : (stryCov_9fa48("362"), multi.length - queuedBefore);
    for (const command of batch.commands) queueCommand(multi, command);
    const replies = await untilConnectionCloses(redis, multi.exec());
    if (stryMutAct_9fa48("365") ? false : stryMutAct_9fa48("364") ? true : stryMutAct_9fa48("363") ? replies : (stryCov_9fa48("363", "364", "365"), !replies)) throw new Error(stryMutAct_9fa48("366") ? "" : (stryCov_9fa48("366"), 'the transaction was aborted'));
    stryMutAct_9fa48("367") ? prelude.check(replies.slice(0, preludeLength)) : (stryCov_9fa48("367"), prelude?.check(stryMutAct_9fa48("368") ? replies : (stryCov_9fa48("368"), replies.slice(0, preludeLength))));
    const errors: CommandError[] = stryMutAct_9fa48("369") ? ["Stryker was here"] : (stryCov_9fa48("369"), []);
    batch.commands.forEach((command, i) => {
      if (stryMutAct_9fa48("370")) {
        {}
      } else {
        stryCov_9fa48("370");
        // A command can fail inside EXEC (MULTI has no rollback): the others of the block still ran.
        const [err, reply] = stryMutAct_9fa48("371") ? replies[preludeLength + i * 2] && [new Error('no reply'), null] : (stryCov_9fa48("371"), replies[stryMutAct_9fa48("372") ? preludeLength - i * 2 : (stryCov_9fa48("372"), preludeLength + (stryMutAct_9fa48("373") ? i / 2 : (stryCov_9fa48("373"), i * 2)))] ?? (stryMutAct_9fa48("374") ? [] : (stryCov_9fa48("374"), [new Error(stryMutAct_9fa48("375") ? "" : (stryCov_9fa48("375"), 'no reply')), null])));
        const [fenceErr, generation] = stryMutAct_9fa48("376") ? replies[preludeLength + i * 2 + 1] && [new Error('no reply'), null] : (stryCov_9fa48("376"), replies[stryMutAct_9fa48("377") ? preludeLength + i * 2 - 1 : (stryCov_9fa48("377"), (stryMutAct_9fa48("378") ? preludeLength - i * 2 : (stryCov_9fa48("378"), preludeLength + (stryMutAct_9fa48("379") ? i / 2 : (stryCov_9fa48("379"), i * 2)))) + 1)] ?? (stryMutAct_9fa48("380") ? [] : (stryCov_9fa48("380"), [new Error(stryMutAct_9fa48("381") ? "" : (stryCov_9fa48("381"), 'no reply')), null])));
        if (stryMutAct_9fa48("383") ? false : stryMutAct_9fa48("382") ? true : (stryCov_9fa48("382", "383"), err)) errors.push(stryMutAct_9fa48("384") ? {} : (stryCov_9fa48("384"), {
          command: (stryMutAct_9fa48("387") ? command.op !== 'stale' : stryMutAct_9fa48("386") ? false : stryMutAct_9fa48("385") ? true : (stryCov_9fa48("385", "386", "387"), command.op === (stryMutAct_9fa48("388") ? "" : (stryCov_9fa48("388"), 'stale')))) ? stryMutAct_9fa48("389") ? "" : (stryCov_9fa48("389"), 'MARK STALE') : stryMutAct_9fa48("390") ? "" : (stryCov_9fa48("390"), 'UNLINK'),
          keys: command.keys,
          error: err.message
        }));else if (stryMutAct_9fa48("393") ? command.op !== 'stale' : stryMutAct_9fa48("392") ? false : stryMutAct_9fa48("391") ? true : (stryCov_9fa48("391", "392", "393"), command.op === (stryMutAct_9fa48("394") ? "" : (stryCov_9fa48("394"), 'stale')))) stryMutAct_9fa48("395") ? outcome.keysMarkedStale -= Number(reply) : (stryCov_9fa48("395"), outcome.keysMarkedStale += Number(reply));else stryMutAct_9fa48("396") ? outcome.keysDeleted -= Number(reply) : (stryCov_9fa48("396"), outcome.keysDeleted += Number(reply));
        // Without its fence bump a rebuild begun before could still write back: not safely invalidated.
        if (stryMutAct_9fa48("398") ? false : stryMutAct_9fa48("397") ? true : (stryCov_9fa48("397", "398"), fenceErr)) errors.push(stryMutAct_9fa48("399") ? {} : (stryCov_9fa48("399"), {
          command: stryMutAct_9fa48("400") ? "" : (stryCov_9fa48("400"), 'INCR'),
          keys: stryMutAct_9fa48("401") ? [] : (stryCov_9fa48("401"), [command.fence]),
          error: fenceErr.message
        }));
        if (stryMutAct_9fa48("404") ? err && fenceErr : stryMutAct_9fa48("403") ? false : stryMutAct_9fa48("402") ? true : (stryCov_9fa48("402", "403", "404"), err || fenceErr)) return;
        outcome.generations.set(command.provider, String(generation));
        if (stryMutAct_9fa48("406") ? false : stryMutAct_9fa48("405") ? true : (stryCov_9fa48("405", "406"), command.provider)) stryMutAct_9fa48("407") ? outcome.providersInvalidated -= 1 : (stryCov_9fa48("407"), outcome.providersInvalidated += 1);
      }
    });
    return stryMutAct_9fa48("408") ? {} : (stryCov_9fa48("408"), {
      errors
    });
  }
}

/**
 * ioredis 6, with autoResendUnfulfilledCommands off, drops commands that were in flight when the
 * connection closed without ever settling their promises. Fail the batch on 'close' instead.
 */
async function untilConnectionCloses<T>(redis: Redis, pending: Promise<T>): Promise<T> {
  if (stryMutAct_9fa48("409")) {
    {}
  } else {
    stryCov_9fa48("409");
    let onClose = () => {};
    const closed = new Promise<never>((_, reject) => {
      if (stryMutAct_9fa48("410")) {
        {}
      } else {
        stryCov_9fa48("410");
        onClose = stryMutAct_9fa48("411") ? () => undefined : (stryCov_9fa48("411"), () => reject(new Error(stryMutAct_9fa48("412") ? "" : (stryCov_9fa48("412"), 'Connection is closed while the batch was in flight'))));
        redis.once(stryMutAct_9fa48("413") ? "" : (stryCov_9fa48("413"), 'close'), onClose);
      }
    });
    try {
      if (stryMutAct_9fa48("414")) {
        {}
      } else {
        stryCov_9fa48("414");
        return await Promise.race(stryMutAct_9fa48("415") ? [] : (stryCov_9fa48("415"), [pending, closed]));
      }
    } finally {
      if (stryMutAct_9fa48("416")) {
        {}
      } else {
        stryCov_9fa48("416");
        redis.off(stryMutAct_9fa48("417") ? "" : (stryCov_9fa48("417"), 'close'), onClose);
      }
    }
  }
}

/**
 * When Redis refuses a command while queueing it (NOPERM from an ACL, an unknown command), EXEC is
 * discarded (EXECABORT) and nothing in the batch runs; ioredis lists the refusals in `previousErrors`.
 */
function queuedErrors(err: unknown): CommandError[] {
  if (stryMutAct_9fa48("418")) {
    {}
  } else {
    stryCov_9fa48("418");
    const previous = stryMutAct_9fa48("419") ? (err as {
      previousErrors?: (Error & {
        command?: {
          name?: string;
          args?: unknown[];
        };
      })[];
    }).previousErrors && [] : (stryCov_9fa48("419"), (err as {
      previousErrors?: (Error & {
        command?: {
          name?: string;
          args?: unknown[];
        };
      })[];
    }).previousErrors ?? (stryMutAct_9fa48("420") ? ["Stryker was here"] : (stryCov_9fa48("420"), [])));
    return previous.map(stryMutAct_9fa48("421") ? () => undefined : (stryCov_9fa48("421"), e => stryMutAct_9fa48("422") ? {} : (stryCov_9fa48("422"), {
      command: stryMutAct_9fa48("423") ? (e.command?.name ?? 'unlink').toLowerCase() : (stryCov_9fa48("423"), (stryMutAct_9fa48("424") ? e.command?.name && 'unlink' : (stryCov_9fa48("424"), (stryMutAct_9fa48("425") ? e.command.name : (stryCov_9fa48("425"), e.command?.name)) ?? (stryMutAct_9fa48("426") ? "" : (stryCov_9fa48("426"), 'unlink')))).toUpperCase()),
      keys: (stryMutAct_9fa48("427") ? e.command?.args && [] : (stryCov_9fa48("427"), (stryMutAct_9fa48("428") ? e.command.args : (stryCov_9fa48("428"), e.command?.args)) ?? (stryMutAct_9fa48("429") ? ["Stryker was here"] : (stryCov_9fa48("429"), [])))).map(String),
      error: e.message
    })));
  }
}

/** A message a person understands, with Redis's own words kept. */
export function describeRedisFailure(err: unknown): string {
  if (stryMutAct_9fa48("430")) {
    {}
  } else {
    stryCov_9fa48("430");
    const text = err instanceof Error ? err.message : String(err);
    if (stryMutAct_9fa48("432") ? false : stryMutAct_9fa48("431") ? true : (stryCov_9fa48("431", "432"), /timed out/i.test(text))) {
      if (stryMutAct_9fa48("433")) {
        {}
      } else {
        stryCov_9fa48("433");
        return stryMutAct_9fa48("434") ? `` : (stryCov_9fa48("434"), `Redis did not answer in time (${text}); the deletions of this batch may or may not have been applied`);
      }
    }
    if (stryMutAct_9fa48("436") ? false : stryMutAct_9fa48("435") ? true : (stryCov_9fa48("435", "436"), /in flight/.test(text))) return stryMutAct_9fa48("437") ? `` : (stryCov_9fa48("437"), `Lost the connection to Redis during the batch; it may or may not have been applied: ${text}`);
    if (stryMutAct_9fa48("439") ? false : stryMutAct_9fa48("438") ? true : (stryCov_9fa48("438", "439"), isConnectionError(err))) return stryMutAct_9fa48("440") ? `` : (stryCov_9fa48("440"), `Redis is unreachable: ${text}`);
    if (stryMutAct_9fa48("442") ? false : stryMutAct_9fa48("441") ? true : (stryCov_9fa48("441", "442"), /EXECABORT/.test(text))) return stryMutAct_9fa48("443") ? `` : (stryCov_9fa48("443"), `Redis refused the batch and applied none of it: ${text}`);
    return stryMutAct_9fa48("444") ? `` : (stryCov_9fa48("444"), `Redis rejected the invalidation: ${text}`);
  }
}