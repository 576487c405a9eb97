/**
 * The one way to define a Lua script: named keys and arguments reach the Lua by name, in the
 * declared order, rest lists included; no script indexes KEYS or ARGV itself (so every key it
 * touches is one it declared, passed as KEYS); names are unique across the app.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG_SCRIPTS } from '~/server/catalog/fence';
import { JOB_SCRIPTS } from '~/server/invalidation/store/store';
import { LIMITER_SCRIPTS } from '~/server/ratelimit/limiter';
import { callScript, defineScripts, luaScript } from '~/server/redis/scripts';
import { SCHEDULE_SCRIPTS } from '~/server/schedule/store';
import { client, closeAll, namespace } from '../../support/redis';

afterAll(closeAll);

const ALL = [...CATALOG_SCRIPTS, ...JOB_SCRIPTS, ...LIMITER_SCRIPTS, ...SCHEDULE_SCRIPTS];

describe('Lua scripts', () => {
  it('bind keys and arguments by name, whatever order the caller writes them in, with rest lists as arrays', async () => {
    const redis = client();
    const probe = luaScript({
      name: 'testNamedProbe',
      keys: ['first', 'second'],
      restKeys: 'more',
      args: ['alpha', 'beta'],
      restArgs: 'tail',
      lua: `return {K.first, K.second, #K.more, K.more[2] or '', A.alpha, A.beta, #A.tail, A.tail[1] or '', #KEYS, #ARGV}`,
    });
    defineScripts(redis, [probe]);
    const p = namespace().catalogPrefix;
    const reply = await callScript(redis, probe, { more: [`${p}c`, `${p}d`], second: `${p}b`, first: `${p}a` }, { tail: [7], beta: 'b', alpha: 1 });
    expect(reply).toEqual([`${p}a`, `${p}b`, 2, `${p}d`, '1', 'b', 1, '7', 4, 3]);
    const empty = await callScript(redis, probe, { first: 'x', second: 'y', more: [] }, { alpha: 0, beta: '', tail: [] });
    expect(empty).toEqual(['x', 'y', 0, '', '0', '', 0, '', 2, 2]);
  });

  it('refuse names Lua cannot bind, and a name declared twice', () => {
    expect(() => luaScript({ name: 'bad', keys: ['a-b'], args: [], lua: 'return 1' })).toThrow(/not a Lua name/);
    expect(() => luaScript({ name: 'bad', keys: ['a'], restKeys: 'a', args: [], lua: 'return 1' })).toThrow(/declared twice/);
  });

  it('never index KEYS or ARGV in their bodies, and have unique names', () => {
    expect(ALL.length).toBeGreaterThanOrEqual(13);
    expect(ALL.filter((s) => /\b(KEYS|ARGV)\s*\[|#\s*(KEYS|ARGV)\b/.test(s.body)).map((s) => s.name)).toEqual([]);
    expect(new Set(ALL.map((s) => s.name)).size).toBe(ALL.length);
  });
});
