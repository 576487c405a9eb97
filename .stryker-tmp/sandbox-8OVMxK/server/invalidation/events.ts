/**
 * Following a job's events from its Redis stream: the record and the backlog after `lastEventId`
 * in one round trip, then new entries with XREAD BLOCK on a dedicated connection, until the terminal
 * event. Stream ids are totally ordered, so reading after the last id seen loses and repeats
 * nothing, on any instance.
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
import type { AdminKeys } from '~/server/redis/keys';
import type { ReaderPool } from '~/server/redis/reader-pool';
import { shuttingDown } from './errors';
import type { StoredEvent } from './schema';
import { isTerminal } from './schema';
import type { JobStore } from './store';
import { EVENTS_PAGE, toStoredEvent } from './store';

/** How long one XREAD may block: bounds how late we notice a job whose stream expired. */
const BLOCK_MS = 5000;
export interface FollowDeps {
  redis: Redis;
  keys: AdminKeys;
  store: JobStore;
  /** Warm connections for the blocking reads (a new one costs round trips on the way to the first event). */
  readers: ReaderPool;
  /** This instance is shutting down: end the stream with an error the client resumes from elsewhere. */
  closing?: AbortSignal;
}
export async function* followEvents({
  redis,
  keys,
  store,
  readers,
  closing
}: FollowDeps, jobId: string, lastEventId: string | null, signal?: AbortSignal): AsyncGenerator<StoredEvent> {
  if (stryMutAct_9fa48("487")) {
    {}
  } else {
    stryCov_9fa48("487");
    const {
      events: first
    } = await store.open(jobId, lastEventId); // NOT_FOUND before anything is streamed
    let lastId = lastEventId;
    let backlog = first;
    if (stryMutAct_9fa48("488")) {
      for (; false;) {
        for (const item of backlog) {
          yield item;
          if (isTerminal(item.event)) return;
        }
        lastId = backlog.at(-1)?.id ?? lastId;
        if (backlog.length < EVENTS_PAGE) break;
        backlog = await store.eventsAfter(jobId, lastId);
      }
    } else {
      stryCov_9fa48("488");
      for (;;) {
        if (stryMutAct_9fa48("489")) {
          {}
        } else {
          stryCov_9fa48("489");
          for (const item of backlog) {
            if (stryMutAct_9fa48("490")) {
              {}
            } else {
              stryCov_9fa48("490");
              yield item;
              if (stryMutAct_9fa48("492") ? false : stryMutAct_9fa48("491") ? true : (stryCov_9fa48("491", "492"), isTerminal(item.event))) return;
            }
          }
          lastId = stryMutAct_9fa48("493") ? backlog.at(-1)?.id && lastId : (stryCov_9fa48("493"), (stryMutAct_9fa48("494") ? backlog.at(-1).id : (stryCov_9fa48("494"), backlog.at(stryMutAct_9fa48("495") ? +1 : (stryCov_9fa48("495"), -1))?.id)) ?? lastId);
          if (stryMutAct_9fa48("499") ? backlog.length >= EVENTS_PAGE : stryMutAct_9fa48("498") ? backlog.length <= EVENTS_PAGE : stryMutAct_9fa48("497") ? false : stryMutAct_9fa48("496") ? true : (stryCov_9fa48("496", "497", "498", "499"), backlog.length < EVENTS_PAGE)) break;
          backlog = await store.eventsAfter(jobId, lastId);
        }
      }
    }
    const stopped = closing ? signal ? AbortSignal.any(stryMutAct_9fa48("500") ? [] : (stryCov_9fa48("500"), [signal, closing])) : closing : signal;
    if (stryMutAct_9fa48("503") ? closing.aborted : stryMutAct_9fa48("502") ? false : stryMutAct_9fa48("501") ? true : (stryCov_9fa48("501", "502", "503"), closing?.aborted)) throw shuttingDown();
    if (stryMutAct_9fa48("506") ? stopped.aborted : stryMutAct_9fa48("505") ? false : stryMutAct_9fa48("504") ? true : (stryCov_9fa48("504", "505", "506"), stopped?.aborted)) return;
    const reader = readers.acquire();
    let interrupted = stryMutAct_9fa48("507") ? true : (stryCov_9fa48("507"), false);
    const stop = () => {
      if (stryMutAct_9fa48("508")) {
        {}
      } else {
        stryCov_9fa48("508");
        interrupted = stryMutAct_9fa48("509") ? false : (stryCov_9fa48("509"), true);
        reader.disconnect();
      }
    };
    stryMutAct_9fa48("510") ? stopped.addEventListener('abort', stop, {
      once: true
    }) : (stryCov_9fa48("510"), stopped?.addEventListener(stryMutAct_9fa48("511") ? "" : (stryCov_9fa48("511"), 'abort'), stop, stryMutAct_9fa48("512") ? {} : (stryCov_9fa48("512"), {
      once: stryMutAct_9fa48("513") ? false : (stryCov_9fa48("513"), true)
    })));
    try {
      if (stryMutAct_9fa48("514")) {
        {}
      } else {
        stryCov_9fa48("514");
        while (stryMutAct_9fa48("516") ? false : stryMutAct_9fa48("515") ? stopped?.aborted : (stryCov_9fa48("515", "516"), !(stryMutAct_9fa48("517") ? stopped.aborted : (stryCov_9fa48("517"), stopped?.aborted)))) {
          if (stryMutAct_9fa48("518")) {
            {}
          } else {
            stryCov_9fa48("518");
            const reply = await reader.xread(stryMutAct_9fa48("519") ? "" : (stryCov_9fa48("519"), 'BLOCK'), BLOCK_MS, stryMutAct_9fa48("520") ? "" : (stryCov_9fa48("520"), 'STREAMS'), keys.jobEvents(jobId), stryMutAct_9fa48("521") ? lastId && '0-0' : (stryCov_9fa48("521"), lastId ?? (stryMutAct_9fa48("522") ? "" : (stryCov_9fa48("522"), '0-0')))).catch((err: unknown) => {
              if (stryMutAct_9fa48("523")) {
                {}
              } else {
                stryCov_9fa48("523");
                if (stryMutAct_9fa48("526") ? stopped.aborted : stryMutAct_9fa48("525") ? false : stryMutAct_9fa48("524") ? true : (stryCov_9fa48("524", "525", "526"), stopped?.aborted)) return null;
                throw err;
              }
            });
            if (stryMutAct_9fa48("529") ? stopped.aborted : stryMutAct_9fa48("528") ? false : stryMutAct_9fa48("527") ? true : (stryCov_9fa48("527", "528", "529"), stopped?.aborted)) break;
            if (stryMutAct_9fa48("532") ? false : stryMutAct_9fa48("531") ? true : stryMutAct_9fa48("530") ? reply : (stryCov_9fa48("530", "531", "532"), !reply)) {
              if (stryMutAct_9fa48("533")) {
                {}
              } else {
                stryCov_9fa48("533");
                if (stryMutAct_9fa48("536") ? false : stryMutAct_9fa48("535") ? true : stryMutAct_9fa48("534") ? await redis.exists(keys.job(jobId)) : (stryCov_9fa48("534", "535", "536"), !(await redis.exists(keys.job(jobId))))) return; // expired while we waited
                continue;
              }
            }
            for (const [, entries] of reply) {
              if (stryMutAct_9fa48("537")) {
                {}
              } else {
                stryCov_9fa48("537");
                for (const [id, fields] of entries) {
                  if (stryMutAct_9fa48("538")) {
                    {}
                  } else {
                    stryCov_9fa48("538");
                    lastId = id;
                    const item = toStoredEvent(id, fields);
                    yield item;
                    if (stryMutAct_9fa48("540") ? false : stryMutAct_9fa48("539") ? true : (stryCov_9fa48("539", "540"), isTerminal(item.event))) return;
                  }
                }
              }
            }
          }
        }
        if (stryMutAct_9fa48("543") ? closing?.aborted || !signal?.aborted : stryMutAct_9fa48("542") ? false : stryMutAct_9fa48("541") ? true : (stryCov_9fa48("541", "542", "543"), (stryMutAct_9fa48("544") ? closing.aborted : (stryCov_9fa48("544"), closing?.aborted)) && (stryMutAct_9fa48("545") ? signal?.aborted : (stryCov_9fa48("545"), !(stryMutAct_9fa48("546") ? signal.aborted : (stryCov_9fa48("546"), signal?.aborted)))))) throw shuttingDown();
      }
    } finally {
      if (stryMutAct_9fa48("547")) {
        {}
      } else {
        stryCov_9fa48("547");
        stryMutAct_9fa48("548") ? stopped.removeEventListener('abort', stop) : (stryCov_9fa48("548"), stopped?.removeEventListener(stryMutAct_9fa48("549") ? "" : (stryCov_9fa48("549"), 'abort'), stop));
        // A reader left between reads is reusable; one interrupted in XREAD (or broken) is closed.
        if (stryMutAct_9fa48("551") ? false : stryMutAct_9fa48("550") ? true : (stryCov_9fa48("550", "551"), interrupted)) reader.disconnect();else readers.release(reader);
      }
    }
  }
}