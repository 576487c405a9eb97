/**
 * Clients that drop a live stream before its body is read must not keep its slot (issue 22, item 9).
 * A plain node HTTP server serves the tRPC route handler the way `next start` does, with Next's own
 * adapters: the request's signal aborts when the response closes before it finished
 * (`signalFromNodeResponse`), and a response whose socket is already gone is neither read nor
 * cancelled (`pipeToNodeResponse` returns at once). Raw sockets send the request and close while
 * the server is still answering: Redis (the token lookup) is held by a proxy until every socket has
 * closed, so each stream's procedure runs after its client went away, as on a slow or flaky link.
 */
import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { pipeToNodeResponse } from 'next/dist/server/pipe-readable';
import { signalFromNodeResponse } from 'next/dist/server/web/spec-extension/adapters/next-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapEpoch } from '~/server/auth/authenticate';
import { startRedisProxy, type RedisProxy } from '~/scripts/lib/redis-proxy';
import { closeAll, namespace, redisUrl } from '../support/redis';
import { until } from '../support/until';

const ADMIN_TOKEN = 'dropped-streams-admin-token-0123456789abcdef';
const LIMIT = 5;
const DROPS = 3 * LIMIT;
const ns = namespace();
let r: Awaited<ReturnType<typeof load>>;
let proxy: RedisProxy;
let server: http.Server;
let port: number;
/** Responses whose socket closed, and requests the route handler has answered. */
let closed = 0;
let answered = 0;

async function load() {
  return { trpc: await import('~/app/api/trpc/[trpc]/route'), services: (await import('~/server/app/services')).getServices() };
}

beforeAll(async () => {
  const url = new URL(redisUrl());
  proxy = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
  // No remembered callers: every request looks its token up in Redis (through the proxy).
  Object.assign(process.env, { REDIS_URL: proxy.url, ADMIN_TOKEN, CATALOG_PREFIX: ns.catalogPrefix, ADMIN_PREFIX: ns.adminPrefix, STREAMS_PER_PRINCIPAL: String(LIMIT), AUTH_CACHE_MS: '0' });
  r = await load();
  server = http.createServer((req, res) => {
    // As Next's app-route template: the request's signal comes from the response, before the handler runs.
    const signal = signalFromNodeResponse(res);
    res.once('close', () => closed++);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    void (async () => {
      const response = await r.trpc.GET(new Request(`http://127.0.0.1:${port}${req.url ?? '/'}`, { method: req.method, headers, signal }));
      answered++;
      res.statusCode = response.status;
      response.headers.forEach((value, name) => res.setHeader(name, value));
      if (response.body) await pipeToNodeResponse(response.body, res);
      else res.end();
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await r.services.shutdown(0);
  await closeAll();
  await proxy.close();
});

/** Sends `GET activity.feed` with the token on a raw socket and closes it once written. */
async function dropEarly(token: string) {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const request = `GET /api/trpc/activity.feed HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`;
  await new Promise<void>((resolve, reject) => socket.write(request, (err) => (err ? reject(err) : resolve())));
  socket.destroy();
  await once(socket, 'close');
}

/** Opens `activity.feed` over HTTP and, when accepted, reads until the stream says it is connected. */
async function openFeed(token: string, signal: AbortSignal) {
  const res = await fetch(`http://127.0.0.1:${port}/api/trpc/activity.feed`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal });
  if (res.status !== 200) return res;
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('event: connected')) text += decoder.decode((await reader.read()).value);
  return res;
}

/** The open-stream gauge, as /api/metrics shows it. */
async function openGauge() {
  const line = (await r.services.metrics.render()).split('\n').find((l) => l.startsWith('catalog_invalidator_open_subscriptions '));
  return Number(line?.split(' ')[1]);
}

describe('live streams dropped before their body is read', () => {
  it(`free their slots: after ${DROPS} early drops the token streams again, up to ${LIMIT} and no more, and nothing stays counted`, async () => {
    const owner = { accountId: null, epoch: await bootstrapEpoch(ADMIN_TOKEN, r.services.accounts) };
    const { id, token } = await r.services.tokens.create('flaky laptop', 'viewer', 'admin (bootstrap)', owner);

    proxy.pause();
    try {
      for (let i = 0; i < DROPS; i++) await dropEarly(token);
      await until(() => expect(closed).toBe(DROPS));
    } finally {
      proxy.resume();
    }
    await until(() => expect(answered).toBe(DROPS));
    // Freed by the request's signal as each stream was asked for (its client had already gone), not
    // by the bound on streams that never begin, which would take START_WITHIN_MS.
    expect(r.services.streams.openFor(id)).toBe(0);
    expect(await openGauge()).toBe(0);

    // The token's streams are accepted again, STREAMS_PER_PRINCIPAL of them; the next is still refused in words.
    const controller = new AbortController();
    for (let i = 0; i < LIMIT; i++) expect((await openFeed(token, controller.signal)).status).toBe(200);
    const refused = await openFeed(token, new AbortController().signal);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.text()).toMatch(/Too many live streams: flaky laptop has 5 open on this server \(at most 5\)/);
    controller.abort();
    await until(() => expect(r.services.streams.openFor(id)).toBe(0));
    await until(async () => expect(await openGauge()).toBe(0));
  });
});
