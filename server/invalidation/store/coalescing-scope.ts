/**
 * The codec of the coalescing scope: what a job will do, as the create script compares it. Built
 * here from a request (JSON, one-letter fields to keep the pending index small) and compared here
 * in Lua (`COVERS_LUA`, included by job-scripts.ts): a pending job covers a request when doing the
 * job does everything the request asks. Nothing else builds or reads a scope; the scope test
 * feeds TS-encoded scopes to the Lua comparison.
 *
 * Fields: `p` the providers, sorted, or "all"; `t` the cache type; `c` cascade (0|1); `m` the mode;
 * `f` refresh (0|1).
 */
import 'server-only';
import { z } from 'zod';
import type { InvalidationRequest } from '../schema';

export const coalescingScopeSchema = z.strictObject({
  p: z.union([z.literal('all'), z.array(z.string())]),
  t: z.enum(['models', 'all']),
  c: z.union([z.literal(0), z.literal(1)]),
  m: z.enum(['delete', 'soft']),
  f: z.union([z.literal(0), z.literal(1)]),
});
export type CoalescingScope = z.infer<typeof coalescingScopeSchema>;

/** `providers`: the request's providers as resolved by the planner (ignored for "all"). */
export function scopeOf(request: InvalidationRequest, providers: readonly string[]): CoalescingScope {
  return {
    p: request.providers === 'all' ? 'all' : [...providers].sort(),
    t: request.cacheType,
    c: request.cascade ? 1 : 0,
    m: request.mode,
    f: request.refresh ? 1 : 0,
  };
}

export const encodeScope = (scope: CoalescingScope): string => JSON.stringify(scope);
export const decodeScope = (json: string): CoalescingScope => coalescingScopeSchema.parse(JSON.parse(json));

/**
 * Lua: `covers(j, r)` is true when pending job scope `j` covers request scope `r` (both decoded
 * with cjson): same mode, at least the cascade and refresh asked, the cache type or "all", and
 * every provider asked (or "all").
 */
export const COVERS_LUA = `local function covers(j, r)
  if j.m ~= r.m or j.c < r.c or j.f < r.f then return false end
  if j.t ~= r.t and j.t ~= 'all' then return false end
  if j.p == 'all' then return true end
  if r.p == 'all' then return false end
  local set = {}
  for _, p in ipairs(j.p) do set[p] = true end
  for _, p in ipairs(r.p) do if not set[p] then return false end end
  return true
end`;
