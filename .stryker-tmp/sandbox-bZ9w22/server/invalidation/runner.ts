/**
 * Runs jobs in this process, in the background, at most `concurrency` at a time. Jobs start on a
 * later tick than their submission, so the request that queued one has always answered first.
 * Each job it holds is leased in Redis (worker.ts), so what it queues or runs is never lost with it.
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
import { DomainError } from './errors';
export class JobRunner {
  private readonly queue: {
    id: string;
    task: () => Promise<void>;
  }[] = stryMutAct_9fa48("745") ? ["Stryker was here"] : (stryCov_9fa48("745"), []);
  private active = 0;
  private closed = stryMutAct_9fa48("746") ? true : (stryCov_9fa48("746"), false);
  private idle: (() => void)[] = stryMutAct_9fa48("747") ? ["Stryker was here"] : (stryCov_9fa48("747"), []);
  constructor(private readonly concurrency: number, private readonly queueLimit: number) {}

  /** Throws BUSY rather than queueing without bound; call before recording a job that will be submitted. */
  ensureCapacity(): void {
    if (stryMutAct_9fa48("748")) {
      {}
    } else {
      stryCov_9fa48("748");
      if (stryMutAct_9fa48("752") ? this.queue.length < this.queueLimit : stryMutAct_9fa48("751") ? this.queue.length > this.queueLimit : stryMutAct_9fa48("750") ? false : stryMutAct_9fa48("749") ? true : (stryCov_9fa48("749", "750", "751", "752"), this.queue.length >= this.queueLimit)) {
        if (stryMutAct_9fa48("753")) {
          {}
        } else {
          stryCov_9fa48("753");
          throw new DomainError(stryMutAct_9fa48("754") ? "" : (stryCov_9fa48("754"), 'BUSY'), stryMutAct_9fa48("755") ? `` : (stryCov_9fa48("755"), `Too many invalidations waiting (${this.queue.length}); try again shortly`));
        }
      }
    }
  }

  /** Jobs this instance can still start now without queueing (takeover claims at most this many). */
  get room(): number {
    if (stryMutAct_9fa48("756")) {
      {}
    } else {
      stryCov_9fa48("756");
      return this.closed ? 0 : stryMutAct_9fa48("757") ? Math.min(0, this.concurrency - this.active - this.queue.length) : (stryCov_9fa48("757"), Math.max(0, stryMutAct_9fa48("758") ? this.concurrency - this.active + this.queue.length : (stryCov_9fa48("758"), (stryMutAct_9fa48("759") ? this.concurrency + this.active : (stryCov_9fa48("759"), this.concurrency - this.active)) - this.queue.length)));
    }
  }
  submit(id: string, task: () => Promise<void>): void {
    if (stryMutAct_9fa48("760")) {
      {}
    } else {
      stryCov_9fa48("760");
      this.queue.push(stryMutAct_9fa48("761") ? {} : (stryCov_9fa48("761"), {
        id,
        task
      }));
      setImmediate(stryMutAct_9fa48("762") ? () => undefined : (stryCov_9fa48("762"), () => this.pump()));
    }
  }
  get pending(): number {
    if (stryMutAct_9fa48("763")) {
      {}
    } else {
      stryCov_9fa48("763");
      return stryMutAct_9fa48("764") ? this.queue.length - this.active : (stryCov_9fa48("764"), this.queue.length + this.active);
    }
  }

  /** Resolves when nothing is queued or running (graceful shutdown, tests). */
  drain(): Promise<void> {
    if (stryMutAct_9fa48("765")) {
      {}
    } else {
      stryCov_9fa48("765");
      if (stryMutAct_9fa48("768") ? this.pending !== 0 : stryMutAct_9fa48("767") ? false : stryMutAct_9fa48("766") ? true : (stryCov_9fa48("766", "767", "768"), this.pending === 0)) return Promise.resolve();
      return new Promise(stryMutAct_9fa48("769") ? () => undefined : (stryCov_9fa48("769"), resolve => this.idle.push(resolve)));
    }
  }

  /** Starts nothing more; returns the ids of the queued jobs it will never start (to release their leases). */
  close(): string[] {
    if (stryMutAct_9fa48("770")) {
      {}
    } else {
      stryCov_9fa48("770");
      this.closed = stryMutAct_9fa48("771") ? false : (stryCov_9fa48("771"), true);
      const dropped = this.queue.splice(0).map(stryMutAct_9fa48("772") ? () => undefined : (stryCov_9fa48("772"), job => job.id));
      this.settleIfIdle();
      return dropped;
    }
  }
  private pump(): void {
    if (stryMutAct_9fa48("773")) {
      {}
    } else {
      stryCov_9fa48("773");
      while (stryMutAct_9fa48("775") ? !this.closed && this.active < this.concurrency || this.queue.length : stryMutAct_9fa48("774") ? false : (stryCov_9fa48("774", "775"), (stryMutAct_9fa48("777") ? !this.closed || this.active < this.concurrency : stryMutAct_9fa48("776") ? true : (stryCov_9fa48("776", "777"), (stryMutAct_9fa48("778") ? this.closed : (stryCov_9fa48("778"), !this.closed)) && (stryMutAct_9fa48("781") ? this.active >= this.concurrency : stryMutAct_9fa48("780") ? this.active <= this.concurrency : stryMutAct_9fa48("779") ? true : (stryCov_9fa48("779", "780", "781"), this.active < this.concurrency)))) && this.queue.length)) {
        if (stryMutAct_9fa48("782")) {
          {}
        } else {
          stryCov_9fa48("782");
          const job = this.queue.shift();
          if (stryMutAct_9fa48("785") ? false : stryMutAct_9fa48("784") ? true : stryMutAct_9fa48("783") ? job : (stryCov_9fa48("783", "784", "785"), !job)) break;
          stryMutAct_9fa48("786") ? this.active -= 1 : (stryCov_9fa48("786"), this.active += 1);
          void job.task().catch(stryMutAct_9fa48("787") ? () => undefined : (stryCov_9fa48("787"), (err: unknown) => console.error(stryMutAct_9fa48("788") ? "" : (stryCov_9fa48("788"), '[jobs] a job crashed outside its own error handling:'), err))).finally(() => {
            if (stryMutAct_9fa48("789")) {
              {}
            } else {
              stryCov_9fa48("789");
              stryMutAct_9fa48("790") ? this.active += 1 : (stryCov_9fa48("790"), this.active -= 1);
              this.pump();
              this.settleIfIdle();
            }
          });
        }
      }
    }
  }
  private settleIfIdle(): void {
    if (stryMutAct_9fa48("791")) {
      {}
    } else {
      stryCov_9fa48("791");
      if (stryMutAct_9fa48("794") ? this.pending !== 0 : stryMutAct_9fa48("793") ? false : stryMutAct_9fa48("792") ? true : (stryCov_9fa48("792", "793", "794"), this.pending === 0)) this.idle.splice(0).forEach(stryMutAct_9fa48("795") ? () => undefined : (stryCov_9fa48("795"), resolve => resolve()));
    }
  }
}