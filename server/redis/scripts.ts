/**
 * Lua scripts through ioredis's `defineCommand`: the first call on each socket sends EVAL (so a
 * script costs no extra round trip, even inside MULTI or a pipeline, and survives a Redis restart),
 * later calls EVALSHA. Every key a script touches is passed as a key, never built inside it.
 */
import 'server-only';
import type { ChainableCommander, Redis } from 'ioredis';

export interface LuaScript {
  readonly name: string;
  readonly lua: string;
}

export const luaScript = (name: string, lua: string): LuaScript => ({ name, lua });

/** Defines the scripts on a connection (idempotent); pipelines and MULTIs created after it inherit them. */
export function defineScripts(redis: Redis, scripts: readonly LuaScript[]): void {
  for (const script of scripts) {
    if (!(script.name in redis)) redis.defineCommand(script.name, { lua: script.lua });
  }
}

type Target = Redis | ChainableCommander;

/** Calls a defined script on a connection (a promise of its reply) or queues it on a pipeline/MULTI. */
export function callScript<T extends Target>(target: T, script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): T extends Redis ? Promise<unknown> : T {
  const command = (target as unknown as Record<string, unknown>)[script.name];
  if (typeof command !== 'function') throw new Error(`Lua script ${script.name} is not defined on this connection`);
  return (command as (...a: unknown[]) => never).call(target, keys.length, ...keys, ...args);
}
