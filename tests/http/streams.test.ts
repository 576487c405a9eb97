/**
 * Live streams over HTTP, called as Next calls the tRPC route: many streams of one principal cost
 * Redis one connection (the instance's subscriber), and past STREAMS_PER_PRINCIPAL the next is
 * refused with 429 in words; a stream that ends frees its slot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisProxy, type RedisProxy } from '~/scripts/lib/redis-proxy';
import { closeAll, namespace, redisUrl } from '../support/redis';
import { until } from '../support/until';

const TOKEN = 'streams-admin-token-0123456789abcdef';
const ns = namespace();
const origin = 'http://localhost:3000';
const LIMIT = 300;
let proxy: RedisProxy;
let r: Awaited<ReturnType<typeof load>>;

async function load() {
  return { trpc: await import('~/app/api/trpc/[trpc]/route'), services: (await import('~/server/app/services')).getServices() };
}

beforeAll(async () => {
  const url = new URL(redisUrl());
  // Every connection this process opens to Redis goes through the proxy, which counts them.
  proxy = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
  Object.assign(process.env, { REDIS_URL: proxy.url, ADMIN_TOKEN: TOKEN, CATALOG_PREFIX: ns.catalogPrefix, ADMIN_PREFIX: ns.adminPrefix, STREAMS_PER_PRINCIPAL: String(LIMIT) });
  r = await load();
  await r.services.cache.seed(['groq']);
});

afterAll(async () => {
  r.services.adminRedis.disconnect();
  r.services.catalogRedis.disconnect();
  r.services.hub.close();
  await closeAll();
  await proxy.close();
});

/** Opens `activity.feed` as a browser would and reads until the stream says it is connected. */
async function openFeed(signal: AbortSignal) {
  const res = await r.trpc.GET(new Request(`${origin}/api/trpc/activity.feed`, { headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' }, signal }));
  if (res.status !== 200 || !res.body) return { res, reader: null };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('event: connected')) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value);
  }
  return { res, reader };
}

describe('live streams over HTTP', () => {
  it(`${LIMIT} feeds of one principal add one Redis connection; the next is refused (429, in words); a closed one frees its slot`, async () => {
    await r.services.adminRedis.ping();
    await r.services.catalogRedis.ping();
    const before = proxy.connections();
    const controller = new AbortController();
    const feeds = [];
    for (let i = 0; i < LIMIT; i++) feeds.push(await openFeed(controller.signal));
    expect(feeds.every((f) => f.res.status === 200 && f.reader)).toBe(true);
    await until(() => expect(r.services.hub.size()).toBe(LIMIT)); // each listens once its stream is pulled
    await r.services.hub.ready();
    expect(proxy.connections() - before).toBe(1);

    const refused = await openFeed(new AbortController().signal);
    expect(refused.res.status).toBe(429);
    expect(await refused.res.text()).toMatch(/Too many live streams: admin \(bootstrap\) has 300 open on this server \(at most 300\)/);

    // One goes away: its slot is free again.
    const gone = new AbortController();
    await feeds[0]?.reader?.cancel();
    await until(() => expect(r.services.hub.size()).toBe(LIMIT - 1));
    const again = await openFeed(gone.signal);
    expect(again.res.status).toBe(200);
    gone.abort();
    controller.abort();
    await until(() => expect(r.services.hub.size()).toBe(0));
    expect(proxy.connections() - before).toBe(1);
  });
});
