/**
 * A sign-in in progress between `/api/auth/oidc/start` and the callback: the state, nonce and PKCE
 * verifier stay on the server (Redis, minutes of TTL), keyed by the SHA-256 of a random id that only
 * the browser's short-lived cookie holds. Taken with GETDEL: a callback can use it once, so a
 * replayed callback finds nothing. One codec: this module writes and reads the record.
 */
import 'server-only';
import { z } from 'zod';
import { hashToken, newSecret } from '~/server/auth/token';
import type { RedisClient } from '~/server/redis/cluster';
import type { AdminKeys } from '~/server/redis/keys';

/** Ten minutes: long enough to type a password and pass a second factor at the identity provider. */
export const PENDING_TTL_SECONDS = 600;

const pendingSchema = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), next: z.string(), createdAt: z.number() });
export type Pending = z.infer<typeof pendingSchema>;

export function createPendingStore(redis: RedisClient, keys: AdminKeys) {
  return {
    /** Keeps `pending`; returns the id for the cookie. */
    async put(pending: Pending): Promise<string> {
      const id = newSecret();
      await redis.set(keys.oidcPending(hashToken(id)), JSON.stringify(pending), 'EX', PENDING_TTL_SECONDS);
      return id;
    },
    /** The record once (deleted as it is read), or null: never started, expired, or already used. */
    async take(id: string | undefined): Promise<Pending | null> {
      if (!id || id.length > 128) return null;
      const raw = await redis.getdel(keys.oidcPending(hashToken(id)));
      if (!raw) return null;
      try {
        const parsed = pendingSchema.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
  };
}
