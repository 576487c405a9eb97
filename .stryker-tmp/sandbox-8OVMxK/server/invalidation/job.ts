/**
 * One invalidation job, from `running` to `completed` or `failed`, run by the instance holding its
 * lease. Round trips after the ack: the `started` write and the first batch share one MULTI when
 * the catalog lives in the jobs' Redis (else `started` goes first, so no request can join a job
 * whose deletions are already applied), then one per extra batch (its `progress` event rides
 * alone), one for a pricing rebuild, and the terminal write: 2 for any plan that fits one batch.
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
import type { Redis } from 'ioredis';
import { isConnectionError } from '~/server/redis/connection';
import { describeRedisFailure, EngineFailure, executePlan, type EngineOutcome, type Prelude } from './engine';
import type { InvalidationPlan } from './plan';
import type { CommandError, InvalidationResult, JobError, JobEvent, JobRecord } from './schema';
import type { JobStore } from './store';
export interface JobDeps {
  catalogRedis: Redis;
  /** True when the catalog lives in the jobs' Redis: `started` then rides in the first batch. */
  sharedRedis: boolean;
  store: JobStore;
  /** Rebuilds global pricing, fenced by the global generation this job's batch set. */
  rebuildPricing: (generation: string) => Promise<unknown>;
  now: () => number;
  /** Waits before retrying a terminal write that failed; injectable so tests stay fast. */
  retryDelaysMs?: number[];
}

/** What a runner needs to run a job it holds the lease of. */
export interface JobTicket {
  jobId: string;
  plan: InvalidationPlan;
  /** The lease token: every write of the job is fenced by it. */
  token: string;
  attempt: number;
  takenOver?: {
    by: string;
    from: string;
    attempt: number;
  };
}
export async function runJob(deps: JobDeps, ticket: JobTicket): Promise<void> {
  if (stryMutAct_9fa48("566")) {
    {}
  } else {
    stryCov_9fa48("566");
    const {
      store,
      now
    } = deps;
    const {
      jobId,
      plan,
      token
    } = ticket;
    const startedAt = now();
    const total = plan.providers.length;
    const progress: Pick<EngineOutcome, 'providersInvalidated' | 'keysDeleted' | 'keysMarkedStale'> = stryMutAct_9fa48("567") ? {} : (stryCov_9fa48("567"), {
      providersInvalidated: 0,
      keysDeleted: 0,
      keysMarkedStale: 0
    });
    const result = stryMutAct_9fa48("568") ? () => undefined : (stryCov_9fa48("568"), (() => {
      const result = (success: boolean): InvalidationResult => stryMutAct_9fa48("569") ? {} : (stryCov_9fa48("569"), {
        success,
        providersInvalidated: progress.providersInvalidated,
        keysDeleted: progress.keysDeleted,
        durationMs: stryMutAct_9fa48("570") ? now() + startedAt : (stryCov_9fa48("570"), now() - startedAt),
        ...(progress.keysMarkedStale ? stryMutAct_9fa48("571") ? {} : (stryCov_9fa48("571"), {
          keysMarkedStale: progress.keysMarkedStale
        }) : {}),
        ...(ticket.takenOver ? stryMutAct_9fa48("572") ? {} : (stryCov_9fa48("572"), {
          takenOver: ticket.takenOver
        }) : {})
      });
      return result;
    })());
    const startedFields: Partial<JobRecord> = stryMutAct_9fa48("573") ? {} : (stryCov_9fa48("573"), {
      status: stryMutAct_9fa48("574") ? "" : (stryCov_9fa48("574"), 'running'),
      startedAt,
      attempt: ticket.attempt
    });
    const started: JobEvent = stryMutAct_9fa48("575") ? {} : (stryCov_9fa48("575"), {
      type: stryMutAct_9fa48("576") ? "" : (stryCov_9fa48("576"), 'started'),
      at: startedAt,
      providersTotal: total,
      keysPlanned: plan.keysPlanned,
      ...(ticket.takenOver ? stryMutAct_9fa48("577") ? {} : (stryCov_9fa48("577"), {
        takenOver: ticket.takenOver
      }) : {})
    });
    let owned = stryMutAct_9fa48("578") ? false : (stryCov_9fa48("578"), true);
    const prelude: Prelude = stryMutAct_9fa48("579") ? {} : (stryCov_9fa48("579"), {
      queue: stryMutAct_9fa48("580") ? () => undefined : (stryCov_9fa48("580"), multi => store.queueBegin(multi, jobId, token, startedFields, started)),
      check: ([reply]) => {
        if (stryMutAct_9fa48("581")) {
          {}
        } else {
          stryCov_9fa48("581");
          if (stryMutAct_9fa48("584") ? reply[0] : stryMutAct_9fa48("583") ? false : stryMutAct_9fa48("582") ? true : (stryCov_9fa48("582", "583", "584"), reply?.[0])) throw reply[0];
          owned = stryMutAct_9fa48("587") ? Number(reply?.[1]) !== 1 : stryMutAct_9fa48("586") ? false : stryMutAct_9fa48("585") ? true : (stryCov_9fa48("585", "586", "587"), Number(stryMutAct_9fa48("588") ? reply[1] : (stryCov_9fa48("588"), reply?.[1])) === 1);
        }
      }
    });
    try {
      if (stryMutAct_9fa48("589")) {
        {}
      } else {
        stryCov_9fa48("589");
        if (stryMutAct_9fa48("592") ? false : stryMutAct_9fa48("591") ? true : stryMutAct_9fa48("590") ? deps.sharedRedis : (stryCov_9fa48("590", "591", "592"), !deps.sharedRedis)) {
          if (stryMutAct_9fa48("593")) {
            {}
          } else {
            stryCov_9fa48("593");
            const multi = deps.store.multi();
            prelude.queue(multi);
            const replies = await multi.exec();
            if (stryMutAct_9fa48("596") ? false : stryMutAct_9fa48("595") ? true : stryMutAct_9fa48("594") ? replies : (stryCov_9fa48("594", "595", "596"), !replies)) throw new Error(stryMutAct_9fa48("597") ? "" : (stryCov_9fa48("597"), 'Redis aborted the transaction that starts the job'));
            prelude.check(replies);
            if (stryMutAct_9fa48("600") ? false : stryMutAct_9fa48("599") ? true : stryMutAct_9fa48("598") ? owned : (stryCov_9fa48("598", "599", "600"), !owned)) return; // presumed dead and taken over: the new owner runs it
          }
        }
        const outcome = await executePlan(deps.catalogRedis, plan, stryMutAct_9fa48("601") ? {} : (stryCov_9fa48("601"), {
          prelude: deps.sharedRedis ? prelude : undefined,
          onBatch: async ({
            providersDone,
            keysDeleted
          }, last) => {
            if (stryMutAct_9fa48("602")) {
              {}
            } else {
              stryCov_9fa48("602");
              Object.assign(progress, stryMutAct_9fa48("603") ? {} : (stryCov_9fa48("603"), {
                providersInvalidated: providersDone,
                keysDeleted
              }));
              // The last batch's progress is folded into the terminal event: one round trip fewer.
              if (stryMutAct_9fa48("606") ? false : stryMutAct_9fa48("605") ? true : stryMutAct_9fa48("604") ? last : (stryCov_9fa48("604", "605", "606"), !last)) await store.progress(jobId, stryMutAct_9fa48("607") ? {} : (stryCov_9fa48("607"), {
                type: stryMutAct_9fa48("608") ? "" : (stryCov_9fa48("608"), 'progress'),
                at: now(),
                stage: stryMutAct_9fa48("609") ? "" : (stryCov_9fa48("609"), 'providers'),
                providersDone,
                providersTotal: total,
                keysDeleted
              }));
            }
          }
        }));
        if (stryMutAct_9fa48("612") ? false : stryMutAct_9fa48("611") ? true : stryMutAct_9fa48("610") ? owned : (stryCov_9fa48("610", "611", "612"), !owned)) return;
        Object.assign(progress, outcome);
        if (stryMutAct_9fa48("614") ? false : stryMutAct_9fa48("613") ? true : (stryCov_9fa48("613", "614"), plan.rebuildPricing)) {
          if (stryMutAct_9fa48("615")) {
            {}
          } else {
            stryCov_9fa48("615");
            await deps.rebuildPricing(stryMutAct_9fa48("616") ? outcome.generations.get(null) && '0' : (stryCov_9fa48("616"), outcome.generations.get(null) ?? (stryMutAct_9fa48("617") ? "" : (stryCov_9fa48("617"), '0')))).catch((err: unknown) => {
              if (stryMutAct_9fa48("618")) {
                {}
              } else {
                stryCov_9fa48("618");
                const reason = isConnectionError(err) ? describeRedisFailure(err) : err instanceof Error ? err.message : String(err);
                throw new Error(stryMutAct_9fa48("619") ? `` : (stryCov_9fa48("619"), `The keys were deleted, but rebuilding pricing failed: ${reason}`));
              }
            });
          }
        }
        const done = result(stryMutAct_9fa48("620") ? false : (stryCov_9fa48("620"), true));
        const finishedAt = now();
        if (stryMutAct_9fa48("623") ? false : stryMutAct_9fa48("622") ? true : stryMutAct_9fa48("621") ? await store.finish(jobId, token, {
          status: 'completed',
          finishedAt,
          result: done
        }, {
          type: 'completed',
          at: finishedAt,
          result: done
        }) : (stryCov_9fa48("621", "622", "623"), !(await store.finish(jobId, token, stryMutAct_9fa48("624") ? {} : (stryCov_9fa48("624"), {
          status: stryMutAct_9fa48("625") ? "" : (stryCov_9fa48("625"), 'completed'),
          finishedAt,
          result: done
        }), stryMutAct_9fa48("626") ? {} : (stryCov_9fa48("626"), {
          type: stryMutAct_9fa48("627") ? "" : (stryCov_9fa48("627"), 'completed'),
          at: finishedAt,
          result: done
        }))))) {
          if (stryMutAct_9fa48("628")) {
            {}
          } else {
            stryCov_9fa48("628");
            console.warn(stryMutAct_9fa48("629") ? `` : (stryCov_9fa48("629"), `[jobs] ${jobId}: finished, but another instance holds its lease now; it reports the result`));
          }
        }
      }
    } catch (err) {
      if (stryMutAct_9fa48("630")) {
        {}
      } else {
        stryCov_9fa48("630");
        if (stryMutAct_9fa48("632") ? false : stryMutAct_9fa48("631") ? true : (stryCov_9fa48("631", "632"), err instanceof EngineFailure)) Object.assign(progress, err.outcome);
        const error = toJobError(err);
        const failed = result(stryMutAct_9fa48("633") ? true : (stryCov_9fa48("633"), false));
        console.error(stryMutAct_9fa48("634") ? `` : (stryCov_9fa48("634"), `[jobs] ${jobId} failed: ${error.message}`));
        await withRetries(deps.retryDelaysMs, () => {
          if (stryMutAct_9fa48("635")) {
            {}
          } else {
            stryCov_9fa48("635");
            const finishedAt = now();
            return store.finish(jobId, token, stryMutAct_9fa48("636") ? {} : (stryCov_9fa48("636"), {
              status: stryMutAct_9fa48("637") ? "" : (stryCov_9fa48("637"), 'failed'),
              finishedAt,
              result: failed,
              error
            }), stryMutAct_9fa48("638") ? {} : (stryCov_9fa48("638"), {
              type: stryMutAct_9fa48("639") ? "" : (stryCov_9fa48("639"), 'failed'),
              at: finishedAt,
              error,
              result: failed
            }));
          }
        }).catch(stryMutAct_9fa48("640") ? () => undefined : (stryCov_9fa48("640"), (writeErr: unknown) => console.error(stryMutAct_9fa48("641") ? `` : (stryCov_9fa48("641"), `[jobs] ${jobId}: could not record the failure: ${String(writeErr)}`))));
      }
    }
  }
}
function toJobError(err: unknown): JobError {
  if (stryMutAct_9fa48("642")) {
    {}
  } else {
    stryCov_9fa48("642");
    const commandErrors: CommandError[] = err instanceof EngineFailure ? err.commandErrors : stryMutAct_9fa48("643") ? ["Stryker was here"] : (stryCov_9fa48("643"), []);
    if (stryMutAct_9fa48("645") ? false : stryMutAct_9fa48("644") ? true : (stryCov_9fa48("644", "645"), err instanceof EngineFailure)) return stryMutAct_9fa48("646") ? {} : (stryCov_9fa48("646"), {
      message: err.message,
      commandErrors
    });
    if (stryMutAct_9fa48("648") ? false : stryMutAct_9fa48("647") ? true : (stryCov_9fa48("647", "648"), isConnectionError(err))) return stryMutAct_9fa48("649") ? {} : (stryCov_9fa48("649"), {
      message: describeRedisFailure(err),
      commandErrors
    });
    return stryMutAct_9fa48("650") ? {} : (stryCov_9fa48("650"), {
      message: err instanceof Error ? err.message : String(err),
      commandErrors
    });
  }
}

/** Default: keep trying for about two minutes, so a Redis restart does not leave a job `running`. */
const DEFAULT_DELAYS = stryMutAct_9fa48("651") ? [] : (stryCov_9fa48("651"), [250, 500, 1000, 2000, 4000, ...(stryMutAct_9fa48("652") ? Array().fill(5000) : (stryCov_9fa48("652"), Array<number>(22).fill(5000)))]);
async function withRetries<T>(delays = DEFAULT_DELAYS, write: () => Promise<T>): Promise<T> {
  if (stryMutAct_9fa48("653")) {
    {}
  } else {
    stryCov_9fa48("653");
    if (stryMutAct_9fa48("654")) {
      for (let attempt = 0; false; attempt++) {
        try {
          return await write();
        } catch (err) {
          const delay = delays[attempt];
          if (delay === undefined) throw err;
          await new Promise(resolve => setTimeout(resolve, delay));
        }
      }
    } else {
      stryCov_9fa48("654");
      for (let attempt = 0;; stryMutAct_9fa48("655") ? attempt-- : (stryCov_9fa48("655"), attempt++)) {
        if (stryMutAct_9fa48("656")) {
          {}
        } else {
          stryCov_9fa48("656");
          try {
            if (stryMutAct_9fa48("657")) {
              {}
            } else {
              stryCov_9fa48("657");
              return await write();
            }
          } catch (err) {
            if (stryMutAct_9fa48("658")) {
              {}
            } else {
              stryCov_9fa48("658");
              const delay = delays[attempt];
              if (stryMutAct_9fa48("661") ? delay !== undefined : stryMutAct_9fa48("660") ? false : stryMutAct_9fa48("659") ? true : (stryCov_9fa48("659", "660", "661"), delay === undefined)) throw err;
              await new Promise(stryMutAct_9fa48("662") ? () => undefined : (stryCov_9fa48("662"), resolve => setTimeout(resolve, delay)));
            }
          }
        }
      }
    }
  }
}