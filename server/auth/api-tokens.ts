/**
 * Named API tokens for scripts: `cit_<id>_<secret>`. Redis keeps the SHA-256 of the whole token
 * (a 256-bit random secret needs no slow hash), never the token; it is shown once, at creation.
 * The id in the token finds the record in one read; the hash comparison is constant-time.
 *
 * Revocation follows what a token made: a token records the chain of tokens that made it
 * (`makers`, nearest first), and authenticate() refuses it while any of them is revoked. Checked at
 * every use rather than written to the descendants at revoke time: a token minted by A while A is
 * being revoked cannot slip past a cascade that already ran, nothing must span the tokens' slots
 * on a cluster, and revocation is final, so the answer never flips back. Cost: one more parallel
 * read per link, only for tokens made by tokens (chains are at most MAX_TOKEN_CHAIN long).
 */
import 'server-only';
import { isCluster, type RedisClient } from '~/server/redis/cluster';
import { randomBytes } from 'node:crypto';
import { DomainError } from '~/server/lib/errors';
import type { AdminKeys } from '~/server/redis/keys';
import { callScript, defineScripts, luaScript } from '~/server/redis/scripts';
import { type TokenListQuery, type TokenPage, type TokenView } from './schema';
import { roleSchema, type Role } from '~/server/identity/schema';
import { hashToken, newSecret, tokenMatches } from './token';

export const API_TOKEN = /^cit_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;
/** Writing "last used" on every call would double the writes of a busy script: once a minute is enough. */
const LAST_USED_GRANULARITY_MS = 60_000;
/** How many tokens deep a token may be made by tokens: each link is a read at every use of the token. */
export const MAX_TOKEN_CHAIN = 8;

/**
 * One page of the index, newest first: the ids after `after` (its rank read in the same script, so
 * a token made meanwhile shifts nothing: no id is skipped or repeated), one more than asked to tell
 * whether another page follows, and the count. False when `after` is not a token.
 */
const pageScript = luaScript({
  name: 'apiTokenPage',
  keys: ['index'],
  args: ['after', 'count'],
  lua: `local from = 0
if A.after ~= '' then
  local rank = redis.call('ZREVRANK', K.index, A.after)
  if not rank then return false end
  from = rank + 1
end
return {redis.call('ZCARD', K.index), redis.call('ZREVRANGE', K.index, from, from + tonumber(A.count) - 1)}`,
});

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

export interface StoredToken extends Omit<TokenView, 'revokedVia'> {
  hash: string;
  owner: TokenOwner | null;
  /** The tokens that made this one, nearest first (empty: made by an account or the bootstrap admin, or before chains were recorded). */
  makers: string[];
}

export type ApiTokenStore = ReturnType<typeof createApiTokenStore>;

export function createApiTokenStore(redis: RedisClient, keys: AdminKeys, now: () => number = Date.now) {
  defineScripts(redis, [pageScript]);

  async function get(id: string): Promise<StoredToken | null> {
    const h = await redis.hgetall(keys.apiToken(id));
    if (!h.hash) return null;
    const time = (v: string | undefined) => (v ? Number(v) : null);
    return {
      id,
      name: h.name ?? '',
      role: roleSchema.catch('viewer').parse(h.role),
      providers: h.providers ? h.providers.split(',') : null,
      createdBy: h.createdBy ?? '',
      createdAt: Number(h.createdAt),
      lastUsedAt: time(h.lastUsedAt),
      revokedAt: time(h.revokedAt),
      hash: h.hash,
      owner: h.ownerEpoch === undefined ? null : { accountId: h.ownerAccountId || null, epoch: h.ownerEpoch },
      madeBy: h.makers ? (h.makers.split(',')[0] ?? null) : null,
      makers: h.makers ? h.makers.split(',') : [],
    };
  }

  /** The nearest revoked maker of each token (one parallel read per distinct maker), as `revokedVia`. */
  async function views(tokens: StoredToken[]): Promise<TokenView[]> {
    const ids = [...new Set(tokens.flatMap((t) => t.makers))];
    const makers = new Map<string, { name: string; revokedAt: string | null }>();
    await Promise.all(
      ids.map(async (id) => {
        const [name, revokedAt] = await redis.hmget(keys.apiToken(id), 'name', 'revokedAt');
        makers.set(id, { name: name ?? id, revokedAt: revokedAt ?? null });
      }),
    );
    return tokens.map(({ hash: _h, owner: _o, makers: chain, ...rest }) => {
      const id = chain.find((m) => makers.get(m)?.revokedAt);
      const maker = id ? makers.get(id) : undefined;
      return { ...rest, revokedVia: id && maker?.revokedAt ? { id, name: maker.name, revokedAt: Number(maker.revokedAt) } : null };
    });
  }

  /** Whether any token of the chain is revoked (or gone): then the token it made is refused. */
  async function chainRevoked(makers: string[]): Promise<boolean> {
    const states = await Promise.all(makers.map((id) => redis.hmget(keys.apiToken(id), 'hash', 'revokedAt')));
    return states.some(([hash, revokedAt]) => !hash || revokedAt !== null);
  }

  return {
    get,

    /** `maker`: the token making this one, if a token does (its chain is extended by it); `providers`: its scope (null: every provider). */
    async create(name: string, role: Role, createdBy: string, owner: TokenOwner, maker: StoredToken | null = null, providers: string[] | null = null): Promise<{ id: string; token: string }> {
      const makers = maker ? [maker.id, ...maker.makers] : [];
      if (makers.length > MAX_TOKEN_CHAIN) {
        throw new DomainError('FORBIDDEN', `This token was made by a chain of ${MAX_TOKEN_CHAIN} tokens and cannot make another: make it signed in with an account`);
      }
      const id = `tok_${randomBytes(8).toString('hex')}`;
      const token = `cit_${id.slice(4)}_${newSecret()}`;
      const createdAt = now();
      const fields = { name, role, createdBy, createdAt: String(createdAt), hash: hashToken(token), ownerAccountId: owner.accountId ?? '', ownerEpoch: owner.epoch, ...(makers.length ? { makers: makers.join(',') } : {}), ...(providers ? { providers: providers.join(',') } : {}) };
      if (isCluster(redis)) {
        // The record and the index live in two slots: no MULTI. Listed first, so a token is never
        // usable without being in the list (an index entry whose record never came is skipped).
        await redis.zadd(keys.apiTokens, createdAt, id);
        await redis.hset(keys.apiToken(id), fields);
      } else {
        await redis.multi().hset(keys.apiToken(id), fields).zadd(keys.apiTokens, createdAt, id).exec();
      }
      return { id, token };
    },

    /** A page of tokens, newest first; every token is reached by following `nextCursor`. */
    async list({ limit, cursor }: TokenListQuery): Promise<TokenPage> {
      const page = (await callScript(redis, pageScript, { index: keys.apiTokens }, { after: cursor ?? '', count: limit + 1 })) as [number, string[]] | null;
      if (!page) throw new DomainError('BAD_REQUEST', `Unknown token cursor ${cursor}: list from the start`);
      const [total, found] = page;
      const ids = found.slice(0, limit);
      const tokens = (await Promise.all(ids.map(get))).filter((t): t is StoredToken => t !== null);
      return { items: await views(tokens), nextCursor: found.length > limit ? (ids.at(-1) ?? null) : null, total: Number(total) };
    },

    /** Revoked tokens stay listed (who made them, when they were last used) but never authenticate again. */
    async revoke(id: string): Promise<TokenView> {
      const token = await get(id);
      if (!token) throw new DomainError('NOT_FOUND', `No token ${id}`);
      // One clock read: the answer says the time that was stored.
      const revokedAt = token.revokedAt ?? now();
      if (!token.revokedAt) await redis.hset(keys.apiToken(id), 'revokedAt', String(revokedAt));
      const [revoked] = await views([{ ...token, revokedAt }]);
      return revoked as TokenView;
    },

    /**
     * The token `id` while it still works: not revoked, nor made by a revoked token (its owner is
     * checked by authenticate()). For a token's session at the form, where the secret is not sent again.
     */
    async active(id: string): Promise<StoredToken | null> {
      const token = await get(id);
      if (!token || token.revokedAt) return null;
      if (token.makers.length && (await chainRevoked(token.makers))) return null;
      return token;
    },

    /** The unrevoked token this secret belongs to, or null (unknown, wrong secret, revoked, or made by a revoked token); its owner is checked by authenticate(). */
    async authenticate(candidate: string): Promise<StoredToken | null> {
      const id = API_TOKEN.exec(candidate)?.[1];
      if (!id) return null;
      const token = await get(`tok_${id}`);
      if (!token || token.revokedAt || !tokenMatches(hashToken(candidate), token.hash)) return null;
      if (token.makers.length && (await chainRevoked(token.makers))) return null;
      if (!token.lastUsedAt || now() - token.lastUsedAt > LAST_USED_GRANULARITY_MS) {
        await redis.hset(keys.apiToken(token.id), 'lastUsedAt', String(now()));
      }
      return token;
    },
  };
}
