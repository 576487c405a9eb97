/**
 * Per-model keys (CATALOG_KEYS `modelKey`), planned as a stream of bounded chunks, never as one
 * list: a job over 1,000 providers × 1,000 models holds one chunk at a time.
 *
 * Where the keys come from, per provider, in this order:
 * 1. the layout's model index set (`modelIndex`), read with SSCAN (bounded replies, any size);
 * 2. else the model list cached in this project's format (the models hash), when it is one;
 * 3. else a SCAN MATCH of the per-model keys' own prefix, on each master, COUNT-bounded. One pass
 *    per job: with one provider, MATCH its own prefix; with several, the template's prefix, each
 *    key kept only if it was built for a provider of the job. SCAN walks the whole keyspace of
 *    each master (O(keys in Redis) per job, about 1 s per million keys here), hence last.
 *
 * Every key yielded was built by keys.ts for a provider of the job (`modelKeyOwner`): lookalikes
 * (`gw:model:groq2:x` for groq, `gw:models:groq:backup`) are never yielded. SSCAN and SCAN may
 * return a key twice; UNLINK counts it once, so `keysDeleted` stays exact.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import type { ChainableCommander } from 'ioredis';
import { CATALOG_FIELDS, decodeModelsHash, zipFields } from '~/server/catalog/models-hash';
import { mastersOf, sendAll } from '~/server/redis/cluster';
import type { CatalogKeys } from '~/server/redis/keys';

export type ModelKeySource = 'index' | 'list' | 'scan';

export interface ModelKeyChunk {
  keys: string[];
  /** Which providers' planning this chunk ends (for progress). */
  providersDone: number;
}

/**
 * Providers whose index sets are read together in one pipelined round trip: at most GROUP, fewer
 * when their sets are large, so that one read returns about one chunk of ids. Redis answers the
 * SSCANs of a pipeline in one turn of its event loop (their requests are small), holding every
 * other client meanwhile: 64 sets of 1,000 ids in one read held the other client's GET for several
 * ms, against one UNLINK of 1,000 keys in the bare loop (measured: `npm run bench -- --million`).
 * The first group is FIRST_GROUP providers; each next one is sized from the ids the last one read.
 */
const GROUP = 64;
const FIRST_GROUP = 8;

/** The next group's size: about `budget` ids in one read, from the ids per provider of the last one. */
export function nextGroupSize(budget: number, idsRead: number, providersRead: number): number {
  const perProvider = providersRead ? idsRead / providersRead : 0;
  return Math.max(1, Math.min(GROUP, Math.floor(budget / Math.max(1, perProvider))));
}

export interface ModelKeyOptions {
  /** Keys per chunk (≤ the batch size) and the COUNT of each SSCAN/SCAN call. */
  chunk: number;
}

export function hasModelKeys(keys: CatalogKeys): boolean {
  return keys.modelKey !== undefined;
}

/** Streams the per-model keys of `providers`, in chunks of at most `chunk` keys. */
export async function* modelKeyChunks(redis: RedisClient, keys: CatalogKeys, providers: readonly string[], options: ModelKeyOptions): AsyncGenerator<ModelKeyChunk> {
  const modelKey = keys.modelKey;
  if (!modelKey || !providers.length) return;
  let pending: string[] = [];
  let done = 0;
  const flush = function* (force: boolean): Generator<ModelKeyChunk> {
    let at = 0;
    while (pending.length - at >= options.chunk || (force && pending.length > at)) {
      yield { keys: pending.slice(at, at + options.chunk), providersDone: done };
      at += options.chunk;
    }
    pending = at ? pending.slice(at) : pending;
  };
  if (keys.modelIndex) {
    // The next group's index sets are read while this group's keys are being deleted, so Redis and
    // this process take turns less (measured: `npm run bench -- --million`).
    let taken = Math.min(FIRST_GROUP, providers.length);
    let next: Promise<[string, string[]][]> | null = readIndexGroup(redis, keys, providers.slice(0, taken), options.chunk);
    while (next) {
      const current: [string, string[]][] = await next;
      next = null;
      if (taken < providers.length) {
        const size = nextGroupSize(options.chunk, current.reduce((n, [, ids]) => n + ids.length, 0), current.length);
        next = readIndexGroup(redis, keys, providers.slice(taken, taken + size), options.chunk);
        taken += size;
        // Not awaited until the next turn: a failure then is reported there, never unhandled.
        next.catch(() => {});
      }
      for (const [provider, ids] of current) {
        for (const id of ids) pending.push(modelKey(provider, id));
        done += 1;
        yield* flush(false);
      }
    }
    yield* flush(true);
    return;
  }
  const groups: string[][] = [];
  for (let g = 0; g < providers.length; g += GROUP) groups.push(providers.slice(g, g + GROUP));
  const toScan: string[] = [];
  for (const group of groups) {
    const replies = await sendAll(
      redis,
      group.map((p) => ({ key: keys.providerModels(p), queue: (t: ChainableCommander) => void t.hmget(keys.providerModels(p), ...CATALOG_FIELDS) })),
    );
    group.forEach((p, i) => {
      const [err, reply] = replies[i] ?? [null, null];
      // Not a hash of ours (WRONGTYPE), or no list cached: the keys can only be found by SCAN.
      const catalog = err ? null : decodeModelsHash(zipFields(CATALOG_FIELDS, reply as (string | null)[])).catalog;
      if (!catalog) return void toScan.push(p);
      for (const model of catalog.models) pending.push(modelKey(p, model.id));
      done += 1;
    });
    yield* flush(false);
  }
  if (toScan.length) {
    const wanted = new Set(toScan);
    const pattern = toScan.length === 1 ? keys.modelScanPattern?.(toScan[0]) : keys.modelScanPattern?.();
    const masters = await mastersOf(redis);
    if (!masters.length) throw new Error('no Redis Cluster master is known yet: cannot SCAN for per-model keys');
    for (const master of masters) {
      let cursor = '0';
      do {
        const [next, found] = await master.scan(cursor, 'MATCH', pattern as string, 'COUNT', options.chunk);
        cursor = next;
        for (const key of found) {
          const owner = keys.modelKeyOwner(key);
          if (owner !== null && wanted.has(owner)) pending.push(key);
        }
        yield* flush(false);
      } while (cursor !== '0');
    }
    done += toScan.length;
  }
  yield* flush(true);
}

/** The model ids of a group of providers from their index sets: SSCAN, every provider's cursor in one pipelined round trip per step. */
async function readIndexGroup(redis: RedisClient, keys: CatalogKeys, group: readonly string[], count: number): Promise<[string, string[]][]> {
  const index = keys.modelIndex as NonNullable<CatalogKeys['modelIndex']>;
  const ids = new Map(group.map((p) => [p, [] as string[]]));
  let active: [string, string][] = group.map((p) => [p, '0']);
  while (active.length) {
    const replies = await sendAll(
      redis,
      active.map(([p, cursor]) => ({ key: index(p), queue: (t: ChainableCommander) => void t.sscan(index(p), cursor, 'COUNT', count) })),
    );
    const still: [string, string][] = [];
    active.forEach(([p], i) => {
      const [err, reply] = replies[i] ?? [new Error('no reply'), null];
      if (err) throw new Error(`reading the model index of ${p} (${index(p)}): ${err.message}`);
      const [cursor, found] = reply as [string, string[]];
      const list = ids.get(p) as string[];
      if (!list.length) ids.set(p, found);
      else for (const id of found) list.push(id);
      if (cursor !== '0') still.push([p, cursor]);
    });
    active = still;
  }
  return [...ids.entries()];
}

/** Where a provider's per-model keys would be planned from (the preview says so). */
export function modelKeySourceOf(keys: CatalogKeys, cachedInOurFormat: boolean): ModelKeySource | null {
  if (!keys.modelKey) return null;
  if (keys.modelIndex) return 'index';
  return cachedInOurFormat ? 'list' : 'scan';
}
