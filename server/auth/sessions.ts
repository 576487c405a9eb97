/**
 * Browser sessions: a random cookie value; Redis keeps only its SHA-256 (under the admin prefix),
 * so a leaked Redis dump holds no usable session. Each session remembers its account and that
 * account's session epoch when it was made; authenticate() refuses it once the epoch has moved on.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { z } from 'zod';
import type { AdminKeys } from '~/server/redis/keys';
import { hashToken, newSecret } from './token';

export const SESSION_COOKIE = 'catalog_admin_session';

/** `accountId: null` is the bootstrap admin (signed in with ADMIN_TOKEN), or, with `tokenId`, a named API token signed in at the form. */
/** `epoch`: the account's counter, or the bootstrap admin's `<ADMIN_TOKEN fingerprint>.<counter>`. */
const sessionSchema = z.object({
  accountId: z.string().nullable(),
  epoch: z.union([z.number().int(), z.string().max(64)]),
  createdAt: z.number().int(),
  /** A named API token's session: it lives while the token does (authenticate.ts checks it at every request). */
  tokenId: z.string().max(64).optional(),
});
export type Session = z.infer<typeof sessionSchema> & { hash: string };

export type SessionStore = ReturnType<typeof createSessionStore>;

/** Cookie values we make are 43 characters; anything far longer is not ours and is not even hashed. */
const plausible = (id: string | undefined): id is string => typeof id === 'string' && id.length > 0 && id.length <= 128;

export function createSessionStore(redis: RedisClient, keys: AdminKeys, ttlSeconds: number) {
  return {
    ttlSeconds,
    async create(accountId: string | null, epoch: number | string, tokenId?: string): Promise<string> {
      const id = newSecret();
      await redis.set(keys.session(hashToken(id)), JSON.stringify({ accountId, epoch, createdAt: Date.now(), ...(tokenId ? { tokenId } : {}) }), 'EX', ttlSeconds);
      return id;
    },
    async read(id: string | undefined): Promise<Session | null> {
      if (!plausible(id)) return null;
      const hash = hashToken(id);
      const raw = await redis.get(keys.session(hash));
      if (!raw) return null;
      const parsed = sessionSchema.safeParse(safeJson(raw));
      return parsed.success ? { ...parsed.data, hash } : null;
    },
    async destroy(id: string | undefined): Promise<void> {
      if (plausible(id)) await redis.del(keys.session(hashToken(id)));
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
