/**
 * The one way to define a Lua script: `luaScript({ name, keys, args, lua })`, then `callScript`.
 *
 * Named arguments. A script declares the names of its KEYS and ARGV; the caller passes two objects
 * (`{ models, gen }`, `{ token, leaseMs }`) and this module puts them in the declared order, so no
 * call site counts positions. The Lua reads them by name too: a generated prelude binds
 * `K.<name> = KEYS[i]` and `A.<name> = ARGV[i]`, and a trailing list of any length (the cells of a
 * rate limit, the id/token pairs of a lease renewal) is one name bound to a Lua array
 * (`restKeys: 'cells'` → `K.cells`). Script bodies never index KEYS or ARGV themselves (a test checks).
 *
 * Cluster safety: every key a script touches is declared in `keys` and so sent as KEYS, never built
 * inside the script; keys that move together share a hash tag (keys.ts).
 *
 * Why TypeScript modules exporting the Lua text, not `.lua` files (BullMQ's
 * `src/commands/<name>-<numberOfKeys>.lua` with `includes/`): Next bundles the server code, and a
 * module that reads `.lua` files from disk at run time by a path relative to itself breaks under
 * `next build` (the files are not traced into the output, and the path moves). A TS module is
 * bundled like any other, shared pieces are plain imports (the codec of a stored shape exports its
 * Lua beside its TypeScript), and the key count BullMQ keeps in the file name is here the declared
 * `keys` list, checked by the compiler at every call.
 *
 * Cost: ioredis's `defineCommand` sends EVALSHA and falls back to EVAL, so a script costs no extra
 * round trip, even inside MULTI or a pipeline, and survives a Redis restart.
 */
import 'server-only';
import type { RedisClient } from './connection';
import type { ChainableCommander } from 'ioredis';

type Value = string | number;

export interface LuaScript<K extends string = string, A extends string = string, RK extends string = string, RA extends string = string> {
  readonly name: string;
  readonly keys: readonly K[];
  readonly args: readonly A[];
  readonly restKeys?: RK;
  readonly restArgs?: RA;
  /** The body as written, reading K.<name> and A.<name>. */
  readonly body: string;
  /** The text sent to Redis: the prelude that names KEYS and ARGV, then the body. */
  readonly lua: string;
}

export interface LuaScriptSpec<K extends string, A extends string, RK extends string, RA extends string> {
  name: string;
  keys: readonly K[];
  args: readonly A[];
  /** Keys after the named ones, any number, bound to the Lua array `K.<restKeys>`. */
  restKeys?: RK;
  /** Arguments after the named ones, any number, bound to the Lua array `A.<restArgs>`. */
  restArgs?: RA;
  lua: string;
}

const LUA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function luaScript<const K extends string = never, const A extends string = never, const RK extends string = never, const RA extends string = never>(
  spec: LuaScriptSpec<K, A, RK, RA>,
): LuaScript<K, A, RK, RA> {
  const names = (list: readonly string[], rest: string | undefined, what: string) => {
    const all = rest ? [...list, rest] : [...list];
    for (const n of all) if (!LUA_NAME.test(n)) throw new Error(`script ${spec.name}: ${what} name ${JSON.stringify(n)} is not a Lua name`);
    if (new Set(all).size !== all.length) throw new Error(`script ${spec.name}: a ${what} name is declared twice`);
  };
  names(spec.keys, spec.restKeys, 'key');
  names(spec.args, spec.restArgs, 'argument');
  const bind = (table: string, source: string, list: readonly string[], rest: string | undefined) => {
    const named = `local ${table} = {${list.map((n, i) => `${n} = ${source}[${i + 1}]`).join(', ')}}`;
    if (!rest) return named;
    return `${named}\n${table}.${rest} = {}\nfor i = ${list.length + 1}, #${source} do table.insert(${table}.${rest}, ${source}[i]) end`;
  };
  const prelude = `${bind('K', 'KEYS', spec.keys, spec.restKeys)}\n${bind('A', 'ARGV', spec.args, spec.restArgs)}`;
  return { name: spec.name, keys: spec.keys, args: spec.args, restKeys: spec.restKeys, restArgs: spec.restArgs, body: spec.lua, lua: `${prelude}\n${spec.lua}` };
}

/** Defines the scripts on a connection (idempotent); pipelines and MULTIs created after it inherit them. */
export function defineScripts(redis: RedisClient, scripts: readonly LuaScript<string, string, string, string>[]): void {
  for (const script of scripts) {
    if (!(script.name in redis)) redis.defineCommand(script.name, { lua: script.lua });
  }
}

export type KeysOf<S> = S extends LuaScript<infer K, string, infer RK, string> ? { [k in K]: string } & { [r in RK]: readonly string[] } : never;
export type ArgsOf<S> = S extends LuaScript<string, infer A, string, infer RA> ? { [a in A]: Value } & { [r in RA]: readonly Value[] } : never;

type Target = RedisClient | ChainableCommander;

/** Calls a defined script on a connection (a promise of its reply) or queues it on a pipeline/MULTI. */
export function callScript<T extends Target, S extends LuaScript<string, string, string, string>>(
  target: T,
  script: S,
  keys: KeysOf<S>,
  args: ArgsOf<S>,
): T extends RedisClient ? Promise<unknown> : T {
  const command = (target as unknown as Record<string, unknown>)[script.name];
  if (typeof command !== 'function') throw new Error(`Lua script ${script.name} is not defined on this connection`);
  const named = keys as Record<string, string | readonly string[]>;
  const values = args as Record<string, Value | readonly Value[]>;
  const keyList = script.keys.map((k) => {
    const key = named[k];
    if (typeof key !== 'string') throw new Error(`Lua script ${script.name}: key ${k} is missing`);
    return key;
  });
  if (script.restKeys) keyList.push(...((named[script.restKeys] as readonly string[] | undefined) ?? []));
  const argList = script.args.map((a) => values[a] as Value);
  if (script.restArgs) argList.push(...((values[script.restArgs] as readonly Value[] | undefined) ?? []));
  return (command as (...a: unknown[]) => never).call(target, keyList.length, ...keyList, ...argList);
}
