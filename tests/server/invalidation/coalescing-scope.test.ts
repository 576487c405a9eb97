/**
 * The coalescing scope codec: the scope the TypeScript builds is what the Lua decodes, and the Lua
 * comparison (the one in the create script) decides coverage over TS-encoded scopes as promised.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '~/server/redis/connection';
import { COVERS_LUA, decodeScope, encodeScope, scopeOf, type CoalescingScope } from '~/server/invalidation/store/coalescing-scope';
import { invalidationRequestSchema, type InvalidationRequestInput } from '~/server/invalidation/schema';
import { withRefreshDefault } from '~/server/invalidation/refresh';
import { callScript, defineScripts, luaScript } from '~/server/redis/scripts';
import { client, closeAll } from '../../support/redis';

const echo = luaScript({ name: 'testScopeEcho', keys: [], args: ['scope'], lua: 'return cjson.encode(cjson.decode(A.scope))' });
const covers = luaScript({ name: 'testScopeCovers', keys: [], args: ['job', 'request'], lua: `${COVERS_LUA}\nreturn covers(cjson.decode(A.job), cjson.decode(A.request)) and 1 or 0` });

let redis: RedisClient;
beforeAll(() => {
  redis = client();
  defineScripts(redis, [echo, covers]);
});
afterAll(closeAll);

const scope = (input: InvalidationRequestInput): CoalescingScope => {
  const request = withRefreshDefault(invalidationRequestSchema.parse(input));
  return scopeOf(request, request.providers === 'all' ? [] : request.providers);
};
const luaCovers = async (job: CoalescingScope, request: CoalescingScope) => (await callScript(redis, covers, {}, { job: encodeScope(job), request: encodeScope(request) })) === 1;

describe('the coalescing scope codec', () => {
  it('round-trips through encode, the Lua decoder and back', async () => {
    for (const s of [scope({ providers: ['xai', 'groq'] }), scope({ providers: 'all', cacheType: 'all', cascade: false, mode: 'soft' })]) {
      expect(decodeScope(encodeScope(s))).toEqual(s);
      expect(decodeScope((await callScript(redis, echo, {}, { scope: encodeScope(s) })) as string)).toEqual(s);
    }
  });

  it('sorts providers, so the order asked in does not matter', () => {
    expect(scope({ providers: ['xai', 'groq'] }).p).toEqual(['groq', 'xai']);
  });

  it('the Lua comparison decides coverage over the TypeScript encoding', async () => {
    const narrow = scope({ providers: ['groq'] });
    const wide = scope({ providers: ['groq', 'xai'] });
    const all = scope({ providers: 'all' });
    expect(await luaCovers(wide, narrow)).toBe(true);
    expect(await luaCovers(narrow, wide)).toBe(false);
    expect(await luaCovers(all, wide)).toBe(true);
    expect(await luaCovers(wide, all)).toBe(false);
    expect(await luaCovers(scope({ providers: ['groq'], cacheType: 'all' }), narrow)).toBe(true);
    expect(await luaCovers(narrow, scope({ providers: ['groq'], cacheType: 'all' }))).toBe(false);
    expect(await luaCovers(scope({ providers: ['groq'], cascade: false }), narrow)).toBe(false);
    expect(await luaCovers(narrow, scope({ providers: ['groq'], cascade: false }))).toBe(true);
    expect(await luaCovers(narrow, scope({ providers: ['groq'], mode: 'soft' }))).toBe(false);
    expect(await luaCovers(narrow, scope({ providers: ['groq'], refresh: true }))).toBe(false);
    expect(await luaCovers(scope({ providers: ['groq'], refresh: true }), narrow)).toBe(true);
  });
});
