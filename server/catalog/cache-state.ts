/**
 * The cache state admins see per provider (cached, stale, held, keys, TTL, cached-at, model count,
 * unpriced models, and a copy that breaks the guard's rules whoever wrote it), in one round trip
 * (one per node, in parallel, on a cluster).
 *
 * A gateway may rebuild its keys itself, past this app and its guard. So the state script compares
 * the cached copy with the last published one (keys.ts `providerPublished`, same slot) inside Redis
 * and sends both catalogs only when they differ. The copy this app would have served is the
 * published one with the overrides applied (`ctx.serve`, the overlay every stored copy goes
 * through): when the cached copy is not that, the guard's rules judge it against it (`inspect`,
 * wired by the composition root), and the provider is flagged `unguarded`, in words. A copy this
 * app wrote without overrides is the published one: nothing more is sent; with overrides both are
 * sent (more bytes, same round trip) and compared here. The unpriced count is of what readers get
 * (the cached copy, the overrides applied): the models hash's `unpriced` field, counted when
 * written; a copy without it (a gateway's write, or one written before the field existed), or one
 * that differs from the published one, is counted here from the copy sent.
 */
import 'server-only';
import { keyedBatch } from '~/server/redis/cluster';
import { callScript, defineScripts, luaScript } from '~/server/redis/scripts';
import type { CacheContext } from './cache-context';
import { unpricedCount } from './derived-values';
import { decodeModelsHash, STATE_FIELDS, zipFields } from './models-hash';
import { diffModels, type ProviderCacheState, type ProviderCatalog } from './schema';

/**
 * Replies: the models key's type, 1 if a candidate is held, then (a hash only) the STATE_FIELDS, the
 * cached `catalog` when it differs from the published copy or was not counted ('' otherwise), and
 * the published `catalog` when it differs ('' otherwise). A gateway's own value of another type
 * (CATALOG_KEYS) is not read.
 */
const stateScript = luaScript({
  name: 'catalogProviderState',
  keys: ['models', 'published', 'held'],
  args: [],
  lua: `local kind = redis.call('TYPE', K.models).ok
local held = redis.call('EXISTS', K.held)
if kind ~= 'hash' then return {kind, held} end
local v = redis.call('HMGET', K.models, ${STATE_FIELDS.map((f) => `'${f}'`).join(', ')}, 'catalog')
local catalog = v[${STATE_FIELDS.length + 1}] or ''
local published = ''
if catalog ~= '' and redis.call('EXISTS', K.published) == 1 then
  local p = redis.call('HGET', K.published, 'catalog') or ''
  if p ~= catalog then published = p end
end
local counted = v[${STATE_FIELDS.indexOf('unpriced') + 1}]
if published == '' and counted and counted ~= '' then catalog = '' end
local reply = {kind, held}
for i = 1, ${STATE_FIELDS.length} do table.insert(reply, v[i] or '') end
table.insert(reply, catalog)
table.insert(reply, published)
return reply`,
});

export const STATE_SCRIPTS = [stateScript];

/** A catalog field as sent, or null when absent or not a catalog (a gateway's value may be anything). */
function catalogOf(raw: string | undefined): ProviderCatalog | null {
  if (!raw) return null;
  try {
    return decodeModelsHash({ catalog: raw }).catalog;
  } catch {
    return null;
  }
}

export async function readCacheState(ctx: CacheContext): Promise<ProviderCacheState[]> {
  const { keys, registry } = ctx;
  const names = registry.names();
  defineScripts(ctx.redis, STATE_SCRIPTS);
  // One pipeline on one server, one per node on a cluster: a provider's keys may span slots in a
  // gateway's own layout, so each is asked on its own (EXISTS of one key).
  const batch = keyedBatch(ctx.redis);
  // Where each provider's replies start, and where its layout extras (size, index count) are.
  const starts: number[] = [];
  const extras: number[] = [];
  for (const name of names) {
    const k = ctx.providerKeys(name);
    starts.push(batch.length);
    // The published copy and the hold are in the models key's slot: one script, no extra round trip.
    batch.add(k.models, (t) => callScript(t, stateScript, { models: k.models, published: k.published, held: k.held }, {}), (node) => defineScripts(node, STATE_SCRIPTS));
    batch.add(k.models, (t) => t.pttl(k.models));
    for (const key of keys.providerKeys(name)) batch.add(key, (t) => t.exists(key));
  }
  // A gateway's own layout (CATALOG_KEYS): its values may be in any format; size and index count too.
  const custom = keys.layout === 'custom';
  if (custom) {
    for (const name of names) {
      const models = keys.providerModels(name);
      extras.push(batch.length);
      batch.add(models, (t) => t.memory('USAGE', models));
      const index = keys.modelIndex?.(name);
      if (index) batch.add(index, (t) => t.scard(index));
    }
  }
  const replies = (await batch.exec()).map(([err, reply]) => {
    if (err) throw err;
    return reply;
  });
  const states = names.map((name, i) => {
    const base = starts[i] as number;
    const [kind, heldFlag, ...rest] = replies[base] as [string, number, ...string[]];
    const isHash = kind === 'hash';
    const hash = decodeModelsHash(zipFields(STATE_FIELDS, rest.slice(0, STATE_FIELDS.length)));
    const [sentCatalog, sentPublished] = rest.slice(STATE_FIELDS.length);
    const ttl = replies[base + 1] as number;
    const total = keys.providerKeys(name).length;
    const present = replies.slice(base + 2, base + 2 + total).reduce<number>((n, r) => n + Number(r), 0);
    const source = registry.get(name);
    const cached = ttl !== -2;
    const ours = cached && isHash && hash.cachedAt !== null;
    const copy = catalogOf(sentCatalog);
    const at = extras[i] as number;
    const layoutFields = custom
      ? {
          format: cached ? (ours ? ('ours' as const) : ('theirs' as const)) : null,
          sizeBytes: cached ? ((replies[at] as number | null) ?? null) : null,
          ...(keys.modelIndex ? { modelKeys: replies[at + 1] as number } : {}),
        }
      : {};
    const state: ProviderCacheState = {
      ...layoutFields,
      name,
      displayName: source?.displayName ?? name,
      source: source?.description ?? '',
      cached,
      stale: cached && hash.stale,
      held: Number(heldFlag) === 1,
      keys: present,
      keysTotal: total,
      ttlMs: cached && ttl >= 0 ? ttl : null,
      cachedAt: cached ? hash.cachedAt : null,
      modelCount: cached ? (ours ? hash.modelCount : custom && keys.modelIndex ? (replies[at + 1] as number) : null) : null,
      unpriced: ours ? (copy ? unpricedCount(copy.models) : hash.unpriced) : null,
      unguarded: [],
    };
    return { state, copy, published: ours ? catalogOf(sentPublished) : null };
  });
  // Only copies that differ from the published one are judged, against what this app would serve:
  // the published answer with the overrides applied (`ctx.serve`), so an override is never a write
  // past the guard. The policy and the overrides are this instance's copies (each read at most once
  // per period), so this costs no round trip per provider.
  return Promise.all(
    states.map(async ({ state, copy, published }) => {
      if (!copy || !published || !ctx.inspect) return state;
      try {
        const cachedAt = state.cachedAt ?? 0;
        const served = await ctx.serve({ ...published, cachedAt, source: '' });
        if (sameCatalog(served, copy)) return state;
        const verdict = await ctx.inspect(state.name, served, { ...copy, cachedAt, source: '' });
        return { ...state, unguarded: [...verdict.hold, ...verdict.alerts] };
      } catch (err) {
        // The policy and the overrides live in the admin Redis: the state still answers, and says what it could not check.
        ctx.log?.warn({ provider: state.name, err }, 'could not check a cached copy that differs from the last published one');
        return { ...state, unguarded: [`differs from the last published catalog, not checked: ${err instanceof Error ? err.message : String(err)}`] };
      }
    }),
  );
}

/** The same catalog as an admin reads it (display name, and each model's fields, in any order): nothing to judge. */
function sameCatalog(a: ProviderCatalog, b: ProviderCatalog): boolean {
  if (a.displayName !== b.displayName) return false;
  const diff = diffModels(a.models, b.models);
  return !diff.added.length && !diff.removed.length && !diff.changed.length;
}
