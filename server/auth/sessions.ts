/**
 * Browser sessions: a random cookie value; Redis keeps only its SHA-256, so a leaked Redis dump
 * holds no usable session.
 */
import type { Redis } from 'ioredis';
import type { AdminKeys } from '~/server/redis/keys';
import { hashToken, newSecret } from './token';

export const SESSION_COOKIE = 'catalog_admin_session';

export type SessionStore = ReturnType<typeof createSessionStore>;

export function createSessionStore(redis: Redis, keys: AdminKeys, ttlSeconds: number) {
  return {
    ttlSeconds,
    async create(): Promise<string> {
      const id = newSecret();
      await redis.set(keys.session(hashToken(id)), JSON.stringify({ createdAt: Date.now() }), 'EX', ttlSeconds);
      return id;
    },
    async valid(id: string | undefined): Promise<boolean> {
      if (!id || id.length > 128) return false;
      return (await redis.exists(keys.session(hashToken(id)))) === 1;
    },
    async destroy(id: string | undefined): Promise<void> {
      if (id && id.length <= 128) await redis.del(keys.session(hashToken(id)));
    },
  };
}
