/**
 * Named API tokens for scripts: `cit_<id>_<secret>`. Redis keeps the SHA-256 of the whole token
 * (a 256-bit random secret needs no slow hash), never the token; it is shown once, at creation.
 * The id in the token finds the record in one read; the hash comparison is constant-time.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { randomBytes } from 'node:crypto';
import { DomainError } from '~/server/lib/errors';
import type { AdminKeys } from '~/server/redis/keys';
import { type TokenView } from './schema';
import { roleSchema, type Role } from '~/server/identity/schema';
import { hashToken, newSecret, tokenMatches } from './token';

export const API_TOKEN = /^cit_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;
/** Writing "last used" on every call would double the writes of a busy script: once a minute is enough. */
const LAST_USED_GRANULARITY_MS = 60_000;

/**
 * The credential a token was made with: an account (`accountId`) or the bootstrap admin (`null`),
 * and that credential's epoch then. The token works while the account is enabled and its epoch has
 * not moved on (a disable, a password change or "sign out everywhere" ends it), or, for the
 * bootstrap admin, while ADMIN_TOKEN and its epoch are unchanged. Tokens made before owners were
 * recorded have none (`null`) and follow only their own revocation.
 */
export interface TokenOwner {
  accountId: string | null;
  epoch: string;
}

export interface StoredToken extends TokenView {
  hash: string;
  owner: TokenOwner | null;
}

export type ApiTokenStore = ReturnType<typeof createApiTokenStore>;

export function createApiTokenStore(redis: RedisClient, keys: AdminKeys, now: () => number = Date.now) {
  async function get(id: string): Promise<StoredToken | null> {
    const h = await redis.hgetall(keys.apiToken(id));
    if (!h.hash) return null;
    const time = (v: string | undefined) => (v ? Number(v) : null);
    return {
      id,
      name: h.name ?? '',
      role: roleSchema.catch('viewer').parse(h.role),
      createdBy: h.createdBy ?? '',
      createdAt: Number(h.createdAt),
      lastUsedAt: time(h.lastUsedAt),
      revokedAt: time(h.revokedAt),
      hash: h.hash,
      owner: h.ownerEpoch === undefined ? null : { accountId: h.ownerAccountId || null, epoch: h.ownerEpoch },
    };
  }
  const view = ({ hash: _h, owner: _o, ...rest }: StoredToken): TokenView => rest;

  return {
    get,

    async create(name: string, role: Role, createdBy: string, owner: TokenOwner): Promise<{ id: string; token: string }> {
      const id = `tok_${randomBytes(8).toString('hex')}`;
      const token = `cit_${id.slice(4)}_${newSecret()}`;
      const createdAt = now();
      await redis
        .multi()
        .hset(keys.apiToken(id), { name, role, createdBy, createdAt: String(createdAt), hash: hashToken(token), ownerAccountId: owner.accountId ?? '', ownerEpoch: owner.epoch })
        .zadd(keys.apiTokens, createdAt, id)
        .exec();
      return { id, token };
    },

    async list(): Promise<TokenView[]> {
      const ids = await redis.zrevrange(keys.apiTokens, 0, 999);
      const tokens = await Promise.all(ids.map(get));
      return tokens.filter((t): t is StoredToken => t !== null).map(view);
    },

    /** Revoked tokens stay listed (who made them, when they were last used) but never authenticate again. */
    async revoke(id: string): Promise<TokenView> {
      const token = await get(id);
      if (!token) throw new DomainError('NOT_FOUND', `No token ${id}`);
      if (!token.revokedAt) await redis.hset(keys.apiToken(id), 'revokedAt', String(now()));
      return view({ ...token, revokedAt: token.revokedAt ?? now() });
    },

    /** The unrevoked token this secret belongs to, or null (unknown, wrong secret or revoked); its owner is checked by authenticate(). */
    async authenticate(candidate: string): Promise<StoredToken | null> {
      const id = API_TOKEN.exec(candidate)?.[1];
      if (!id) return null;
      const token = await get(`tok_${id}`);
      if (!token || token.revokedAt || !tokenMatches(hashToken(candidate), token.hash)) return null;
      if (!token.lastUsedAt || now() - token.lastUsedAt > LAST_USED_GRANULARITY_MS) {
        await redis.hset(keys.apiToken(token.id), 'lastUsedAt', String(now()));
      }
      return token;
    },
  };
}
