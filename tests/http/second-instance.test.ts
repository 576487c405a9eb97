/**
 * Over real HTTP and SSE, on a second server process: a job run by this process is followed there,
 * every event once, and the stream ends; calls without the admin token get 401 and no data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisProxy } from '~/scripts/lib/redis-proxy';
import type { AppRouter } from '~/server/trpc/root';
import { closeAll, harness, redisUrl, type Harness } from '../support/redis';

const TOKEN = 'test-admin-token-0123456789abcdef';
let child: ChildProcess;
let base: string;
let h: Harness;

/** Starts the second instance (on `port`, or a free one) and resolves to its port. */
async function startApiServer(port = 0): Promise<number> {
  child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'tests/support/api-server.ts'], {
    env: { ...process.env, PORT: String(port), REDIS_URL: redisUrl(), ADMIN_TOKEN: TOKEN, CATALOG_PREFIX: h.ns.catalogPrefix, ADMIN_PREFIX: h.ns.adminPrefix },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code]) => Promise.reject(new Error(`api-server exited with ${String(code)}`)));
  const [line] = (await Promise.race([once(child.stdout as NodeJS.ReadableStream, 'data'), exited])) as [Buffer];
  return Number(/listening (\d+)/.exec(line.toString())?.[1]);
}

beforeAll(async () => {
  h = harness();
  base = `http://127.0.0.1:${await startApiServer()}/api/trpc`;
});

afterAll(async () => {
  child?.kill('SIGTERM');
  await closeAll();
});

function client(token: string | null) {
  const authorization: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: base,
          EventSource,
          eventSourceOptions: { fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, ...authorization } }) },
        }),
        false: httpBatchLink({ url: base, headers: authorization }),
      }),
    ],
  });
}

function follow(jobId: string, token = TOKEN, onEvent: (type: string) => void = () => {}) {
  return new Promise<{ ids: string[]; types: string[] }>((resolve, reject) => {
    const ids: string[] = [];
    const types: string[] = [];
    const sub = client(token).invalidation.events.subscribe(
      { jobId },
      {
        onData: ({ id, data }) => (ids.push(id), types.push(data.type), onEvent(data.type)),
        onError: (err) => (sub.unsubscribe(), reject(err)),
        onComplete: () => resolve({ ids, types }),
      },
    );
  });
}

describe('a second server process', () => {
  it('streams a job this process runs over SSE, each event once with its id, then ends', async () => {
    await h.cache.seed(['groq', 'xai']);
    const { jobId } = await h.invalidation.start({ providers: ['groq', 'xai'], cacheType: 'models', cascade: true }, { kind: 'token', label: 't' });
    const live = await follow(jobId);
    expect(live.types).toEqual(['queued', 'started', 'completed']);
    expect(new Set(live.ids).size).toBe(3);
    const late = await follow(jobId); // after the end: the whole timeline again
    expect(late).toEqual(live);
    expect(await client(TOKEN).invalidation.get.query({ jobId })).toMatchObject({ status: 'completed', result: { keysDeleted: 3 } });
  });

  it('starts jobs for any instance to run, and answers 401 with no data to calls without the token', async () => {
    await h.cache.seed(['groq']);
    const { jobId } = await client(TOKEN).invalidation.start.mutate({ providers: ['groq'] });
    expect((await follow(jobId)).types.at(-1)).toBe('completed');

    for (const path of ['providers.list', `invalidation.get?input=${encodeURIComponent(JSON.stringify({ jobId }))}`, 'invalidation.history?input=%7B%7D']) {
      for (const authorization of [undefined, 'Bearer wrong-token-wrong-token-wrong', `Basic ${TOKEN}`]) {
        const response = await fetch(`${base}/${path}`, { headers: authorization ? { authorization } : {} });
        expect(response.status).toBe(401);
        expect(JSON.stringify(await response.json())).not.toContain(jobId);
      }
    }
    const start = await fetch(`${base}/invalidation.start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"providers":"all"}' });
    expect(start.status).toBe(401);
    // A subscription answers as an SSE stream (tRPC's contract): one error event, UNAUTHORIZED, no data.
    const events = await fetch(`${base}/invalidation.events?input=${encodeURIComponent(JSON.stringify({ jobId }))}`);
    const body = await events.text();
    expect(body).toMatch(/event: serialized-error\ndata: .*"UNAUTHORIZED"/);
    expect(body).not.toMatch(/queued|completed|keysDeleted/);
    await expect(follow(jobId, 'wrong-token-wrong-token-wrong')).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  });

  it('a dropped stream resumes from the last event id on the next server, losing and repeating nothing', async () => {
    const url = new URL(redisUrl());
    const proxy = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
    try {
      const runner = harness({ ns: h.ns, catalogUrl: proxy.url });
      await runner.cache.seed(['groq']);
      await runner.catalogRedis.ping();
      proxy.pause(); // the job will wait mid-run, after `started`
      const { jobId } = await runner.invalidation.start({ providers: ['groq'], cacheType: 'models', cascade: true }, { kind: 'token', label: 't' });
      let sawStarted: () => void = () => {};
      const started = new Promise<void>((resolve) => (sawStarted = resolve));
      const following = follow(jobId, TOKEN, (type) => type === 'started' && sawStarted());
      await started;

      const port = Number(new URL(base).port);
      child.kill('SIGKILL'); // the instance serving the stream dies
      await once(child, 'exit');
      await startApiServer(port); // another takes its place; the client reconnects with Last-Event-ID
      proxy.resume();

      const { ids, types } = await following;
      expect(types).toEqual(['queued', 'started', 'completed']);
      expect(new Set(ids).size).toBe(3);
    } finally {
      await proxy.close();
    }
  });
});
