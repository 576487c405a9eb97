/**
 * Job leases across instances. The instance that creates a job takes its lease in the create round
 * trip; this worker renews every lease it holds in one script call every third of JOB_LEASE_MS (off
 * the hot path), and every half lease looks for expired leases: the job of an instance that died.
 * It takes those over and runs them again from the start: deletion is idempotent and every write is
 * fenced by the lease token, so a presumed-dead runner that wakes up cannot report twice. A crashed
 * job is thus taken over within 1.5 × JOB_LEASE_MS of the crash; its result names both instances.
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
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from './errors';
import type { JobTicket } from './job';
import type { InvalidationPlan } from './plan';
import type { JobRunner } from './runner';
import type { InvalidationResult, JobRecord } from './schema';
import type { JobStore } from './store';
export interface WorkerDeps {
  store: JobStore;
  runner: JobRunner;
  leaseMs: number;
  now: () => number;
  run: (ticket: JobTicket) => Promise<void>;
  /** The plan of a job taken over, from its recorded request (throws if this instance cannot plan it). */
  replan: (record: JobRecord) => InvalidationPlan;
  instanceId?: string;
}
export type JobWorker = ReturnType<typeof createJobWorker>;
export function createJobWorker(deps: WorkerDeps) {
  if (stryMutAct_9fa48("1094")) {
    {}
  } else {
    stryCov_9fa48("1094");
    const {
      store,
      runner,
      leaseMs,
      now
    } = deps;
    const instanceId = stryMutAct_9fa48("1095") ? deps.instanceId && `${hostname()}:${process.pid}` : (stryCov_9fa48("1095"), deps.instanceId ?? (stryMutAct_9fa48("1096") ? `` : (stryCov_9fa48("1096"), `${hostname()}:${process.pid}`)));
    /** Job id → lease token, for every job this instance queued or runs. */
    const held = new Map<string, string>();
    const timers: NodeJS.Timeout[] = stryMutAct_9fa48("1097") ? ["Stryker was here"] : (stryCov_9fa48("1097"), []);
    let accepting = stryMutAct_9fa48("1098") ? false : (stryCov_9fa48("1098"), true);
    const newLease = stryMutAct_9fa48("1099") ? () => undefined : (stryCov_9fa48("1099"), (() => {
      const newLease = () => stryMutAct_9fa48("1100") ? {} : (stryCov_9fa48("1100"), {
        token: stryMutAct_9fa48("1101") ? `` : (stryCov_9fa48("1101"), `${instanceId}/${randomBytes(6).toString(stryMutAct_9fa48("1102") ? "" : (stryCov_9fa48("1102"), 'hex'))}`),
        expiresAt: stryMutAct_9fa48("1103") ? now() - leaseMs : (stryCov_9fa48("1103"), now() + leaseMs)
      });
      return newLease;
    })());
    function ensureAccepting(): void {
      if (stryMutAct_9fa48("1104")) {
        {}
      } else {
        stryCov_9fa48("1104");
        if (stryMutAct_9fa48("1107") ? false : stryMutAct_9fa48("1106") ? true : stryMutAct_9fa48("1105") ? accepting : (stryCov_9fa48("1105", "1106", "1107"), !accepting)) throw new DomainError(stryMutAct_9fa48("1108") ? "" : (stryCov_9fa48("1108"), 'UNAVAILABLE'), stryMutAct_9fa48("1109") ? "" : (stryCov_9fa48("1109"), 'This server is shutting down; send the request again and another instance will take it'));
      }
    }
    function run(ticket: JobTicket): void {
      if (stryMutAct_9fa48("1110")) {
        {}
      } else {
        stryCov_9fa48("1110");
        held.set(ticket.jobId, ticket.token);
        runner.submit(ticket.jobId, stryMutAct_9fa48("1111") ? () => undefined : (stryCov_9fa48("1111"), () => deps.run(ticket).finally(stryMutAct_9fa48("1112") ? () => undefined : (stryCov_9fa48("1112"), () => held.delete(ticket.jobId)))));
      }
    }
    async function renew(): Promise<void> {
      if (stryMutAct_9fa48("1113")) {
        {}
      } else {
        stryCov_9fa48("1113");
        for (const lost of await store.setLeaseExpiry(stryMutAct_9fa48("1114") ? now() - leaseMs : (stryCov_9fa48("1114"), now() + leaseMs), stryMutAct_9fa48("1115") ? [] : (stryCov_9fa48("1115"), [...held]))) held.delete(lost);
      }
    }

    /** Claims expired leases (as many as there is room for) and runs their jobs; returns their ids. */
    async function takeOver(): Promise<string[]> {
      if (stryMutAct_9fa48("1116")) {
        {}
      } else {
        stryCov_9fa48("1116");
        const room = accepting ? runner.room : 0;
        if (stryMutAct_9fa48("1119") ? false : stryMutAct_9fa48("1118") ? true : stryMutAct_9fa48("1117") ? room : (stryCov_9fa48("1117", "1118", "1119"), !room)) return stryMutAct_9fa48("1120") ? ["Stryker was here"] : (stryCov_9fa48("1120"), []);
        const {
          token,
          expiresAt
        } = newLease();
        const claimed = await store.claimExpiredLeases(now(), expiresAt, token, room);
        for (const {
          jobId,
          previous
        } of claimed) await resume(jobId, token, stryMutAct_9fa48("1123") ? previous.split('/')[0] && 'an unknown instance' : stryMutAct_9fa48("1122") ? false : stryMutAct_9fa48("1121") ? true : (stryCov_9fa48("1121", "1122", "1123"), previous.split(stryMutAct_9fa48("1124") ? "" : (stryCov_9fa48("1124"), '/'))[0] || (stryMutAct_9fa48("1125") ? "" : (stryCov_9fa48("1125"), 'an unknown instance'))));
        return claimed.map(stryMutAct_9fa48("1126") ? () => undefined : (stryCov_9fa48("1126"), c => c.jobId));
      }
    }
    async function resume(jobId: string, token: string, from: string): Promise<void> {
      if (stryMutAct_9fa48("1127")) {
        {}
      } else {
        stryCov_9fa48("1127");
        const record = await store.get(jobId).catch(stryMutAct_9fa48("1128") ? () => undefined : (stryCov_9fa48("1128"), () => null));
        if (stryMutAct_9fa48("1131") ? (!record || record.status === 'completed') && record.status === 'failed' : stryMutAct_9fa48("1130") ? false : stryMutAct_9fa48("1129") ? true : (stryCov_9fa48("1129", "1130", "1131"), (stryMutAct_9fa48("1133") ? !record && record.status === 'completed' : stryMutAct_9fa48("1132") ? false : (stryCov_9fa48("1132", "1133"), (stryMutAct_9fa48("1134") ? record : (stryCov_9fa48("1134"), !record)) || (stryMutAct_9fa48("1136") ? record.status !== 'completed' : stryMutAct_9fa48("1135") ? false : (stryCov_9fa48("1135", "1136"), record.status === (stryMutAct_9fa48("1137") ? "" : (stryCov_9fa48("1137"), 'completed')))))) || (stryMutAct_9fa48("1139") ? record.status !== 'failed' : stryMutAct_9fa48("1138") ? false : (stryCov_9fa48("1138", "1139"), record.status === (stryMutAct_9fa48("1140") ? "" : (stryCov_9fa48("1140"), 'failed')))))) return store.forget(jobId);
        const takenOver = stryMutAct_9fa48("1141") ? {} : (stryCov_9fa48("1141"), {
          by: instanceId,
          from,
          attempt: stryMutAct_9fa48("1142") ? record.attempt - 1 : (stryCov_9fa48("1142"), record.attempt + 1)
        });
        console.warn(stryMutAct_9fa48("1143") ? `` : (stryCov_9fa48("1143"), `[jobs] ${jobId}: taking over from ${from} (its lease expired)`));
        let plan: InvalidationPlan;
        try {
          if (stryMutAct_9fa48("1144")) {
            {}
          } else {
            stryCov_9fa48("1144");
            plan = deps.replan(record);
          }
        } catch (err) {
          if (stryMutAct_9fa48("1145")) {
            {}
          } else {
            stryCov_9fa48("1145");
            return void (await failUnplannable(jobId, token, takenOver, err));
          }
        }
        run(stryMutAct_9fa48("1146") ? {} : (stryCov_9fa48("1146"), {
          jobId,
          plan,
          token,
          attempt: takenOver.attempt,
          takenOver
        }));
      }
    }
    async function failUnplannable(jobId: string, token: string, takenOver: InvalidationResult['takenOver'], err: unknown) {
      if (stryMutAct_9fa48("1147")) {
        {}
      } else {
        stryCov_9fa48("1147");
        const at = now();
        const result: InvalidationResult = stryMutAct_9fa48("1148") ? {} : (stryCov_9fa48("1148"), {
          success: stryMutAct_9fa48("1149") ? true : (stryCov_9fa48("1149"), false),
          providersInvalidated: 0,
          keysDeleted: 0,
          durationMs: 0,
          takenOver
        });
        const error = stryMutAct_9fa48("1150") ? {} : (stryCov_9fa48("1150"), {
          message: stryMutAct_9fa48("1151") ? `` : (stryCov_9fa48("1151"), `Taken over by ${instanceId}, which cannot run it: ${err instanceof Error ? err.message : String(err)}`),
          commandErrors: stryMutAct_9fa48("1152") ? ["Stryker was here"] : (stryCov_9fa48("1152"), [])
        });
        await store.finish(jobId, token, stryMutAct_9fa48("1153") ? {} : (stryCov_9fa48("1153"), {
          status: stryMutAct_9fa48("1154") ? "" : (stryCov_9fa48("1154"), 'failed'),
          finishedAt: at,
          result,
          error
        }), stryMutAct_9fa48("1155") ? {} : (stryCov_9fa48("1155"), {
          type: stryMutAct_9fa48("1156") ? "" : (stryCov_9fa48("1156"), 'failed'),
          at,
          error,
          result
        }));
      }
    }

    /** Starts renewing and taking over (the app does; tests drive `renew` and `takeOver` directly). */
    function start(): void {
      if (stryMutAct_9fa48("1157")) {
        {}
      } else {
        stryCov_9fa48("1157");
        const every = (ms: number, work: () => Promise<unknown>) => {
          if (stryMutAct_9fa48("1158")) {
            {}
          } else {
            stryCov_9fa48("1158");
            const timer = setInterval(stryMutAct_9fa48("1159") ? () => undefined : (stryCov_9fa48("1159"), () => void work().catch(stryMutAct_9fa48("1160") ? () => undefined : (stryCov_9fa48("1160"), (err: unknown) => console.warn(stryMutAct_9fa48("1161") ? `` : (stryCov_9fa48("1161"), `[jobs] lease work failed: ${String(err)}`))))), ms);
            timer.unref();
            timers.push(timer);
          }
        };
        every(stryMutAct_9fa48("1162") ? Math.min(50, Math.floor(leaseMs / 3)) : (stryCov_9fa48("1162"), Math.max(50, Math.floor(stryMutAct_9fa48("1163") ? leaseMs * 3 : (stryCov_9fa48("1163"), leaseMs / 3)))), renew);
        every(stryMutAct_9fa48("1164") ? Math.min(50, Math.floor(leaseMs / 2)) : (stryCov_9fa48("1164"), Math.max(50, Math.floor(stryMutAct_9fa48("1165") ? leaseMs * 2 : (stryCov_9fa48("1165"), leaseMs / 2)))), takeOver);
        void takeOver().catch(() => {});
      }
    }

    /**
     * Graceful stop: takes no new job, releases the leases of queued jobs at once (another instance
     * takes them on its next look), lets running jobs finish for up to `graceMs`, then releases the rest.
     */
    async function shutdown(graceMs: number): Promise<void> {
      if (stryMutAct_9fa48("1166")) {
        {}
      } else {
        stryCov_9fa48("1166");
        accepting = stryMutAct_9fa48("1167") ? true : (stryCov_9fa48("1167"), false);
        timers.splice(0).forEach(clearInterval);
        const release = stryMutAct_9fa48("1168") ? () => undefined : (stryCov_9fa48("1168"), (() => {
          const release = (ids: string[]) => store.setLeaseExpiry(0, ids.flatMap(stryMutAct_9fa48("1169") ? () => undefined : (stryCov_9fa48("1169"), id => held.has(id) ? stryMutAct_9fa48("1170") ? [] : (stryCov_9fa48("1170"), [[id, held.get(id) as string] as [string, string]]) : stryMutAct_9fa48("1171") ? ["Stryker was here"] : (stryCov_9fa48("1171"), [])))).catch(stryMutAct_9fa48("1172") ? () => undefined : (stryCov_9fa48("1172"), () => stryMutAct_9fa48("1173") ? ["Stryker was here"] : (stryCov_9fa48("1173"), [])));
          return release;
        })());
        const dropped = runner.close();
        await release(dropped);
        dropped.forEach(stryMutAct_9fa48("1174") ? () => undefined : (stryCov_9fa48("1174"), id => held.delete(id)));
        const stopWaiting = new AbortController();
        await Promise.race(stryMutAct_9fa48("1175") ? [] : (stryCov_9fa48("1175"), [runner.drain(), sleep(graceMs, undefined, stryMutAct_9fa48("1176") ? {} : (stryCov_9fa48("1176"), {
          signal: stopWaiting.signal
        })).catch(() => {})]));
        stopWaiting.abort();
        await release(stryMutAct_9fa48("1177") ? [] : (stryCov_9fa48("1177"), [...held.keys()]));
      }
    }
    return stryMutAct_9fa48("1178") ? {} : (stryCov_9fa48("1178"), {
      instanceId,
      newLease,
      ensureAccepting,
      run,
      renew,
      takeOver,
      start,
      shutdown,
      held: stryMutAct_9fa48("1179") ? () => undefined : (stryCov_9fa48("1179"), () => stryMutAct_9fa48("1180") ? [] : (stryCov_9fa48("1180"), [...held.keys()]))
    });
  }
}