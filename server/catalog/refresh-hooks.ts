/**
 * What refresh-and-verify (server/invalidation/refresh.ts) needs of the cache: the cached copies
 * before the job's batch, and after it each provider's fence and rebuild lease. One round trip each.
 */
import 'server-only';
import { execChecked } from '~/server/redis/exec';
import { newToken, type CacheContext } from './cache-context';
import { parseProviderRead } from './fence';
import { queueReads, readMany } from './provider-store';

/** The cached copies now, stale or not, taking no lease (null where nothing is cached). */
export const peekCached = async (ctx: CacheContext, names: readonly string[]) => (await readMany(ctx, names)).map((read) => read.catalog);

/**
 * After the job's batch: each provider's generation (the fence of its write) and, where free, its
 * rebuild lease, so readers of a stale or missing provider wait for the job's fetch instead of
 * starting their own.
 */
export async function claimRefresh(ctx: CacheContext, names: readonly string[]): Promise<{ gen: string; token: string }[]> {
  const tokens = names.map(() => newToken());
  return (await execChecked(queueReads(ctx, names, (i) => tokens[i] ?? '', true))).map((reply, i) => {
    const read = parseProviderRead(reply);
    return { gen: read.gen, token: read.leased ? (tokens[i] ?? '') : '' };
  });
}
