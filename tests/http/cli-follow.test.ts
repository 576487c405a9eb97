/**
 * `cli invalidate --wait` follows the job it created to its end whatever happens to the job's event
 * stream (issue 22, item 11): with every live-stream slot of the token's principal held (the stream
 * is refused with 429), and with the stream cut after its first event (a proxy that then answers
 * 502), the CLI polls the job and reports the completed result with its id, exit 0. The CLI runs as
 * a child process against the real tRPC route handler, served over loopback HTTP as Next serves it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, namespace, redisUrl } from '../support/redis';
import { runCli, type CliRun } from '../support/cli';
import { until } from '../support/until';

const TOKEN = 'cli-follow-admin-token-0123456789abcdef';
const ns = namespace();
let r: Awaited<ReturnType<typeof load>>;
let server: http.Server;
let base: string;
/**
 * What the loopback "proxy" does: pass everything; cut the first `invalidation.events` after one
 * event and refuse the rest (502); or refuse every stream and every `invalidation.get` (403).
 */
let mode: 'pass' | 'cut' | 'lost' = 'pass';
const eventStreams = { served: 0, cut: 0, refused: 0, status: [] as number[] };

async function load() {
  return { trpc: await import('~/app/api/trpc/[trpc]/route'), services: (await import('~/server/app/services')).getServices() };
}

/** Node request → the route handler's Request; its Response streamed back (cut where the mode says). */
async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  const events = (req.url ?? '').startsWith('/api/trpc/invalidation.events');
  if (mode === 'lost' && (events || (req.url ?? '').startsWith('/api/trpc/invalidation.get'))) {
    return void res.writeHead(events ? 502 : 403, { 'content-type': 'text/plain' }).end('refused by the proxy');
  }
  if (events && mode === 'cut' && eventStreams.cut > 0) {
    eventStreams.refused += 1;
    return void res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway');
  }
  const request = new Request(`${base}${req.url ?? '/'}`, { method: req.method, headers, body: req.method === 'POST' ? Buffer.concat(chunks) : undefined, signal: controller.signal });
  const response = await (req.method === 'POST' ? r.trpc.POST : r.trpc.GET)(request);
  if (events) {
    eventStreams.served += 1;
    eventStreams.status.push(response.status);
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let held = '';
  for (;;) {
    const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
    if (chunk.done) break;
    if (!(events && mode === 'cut')) {
      res.write(chunk.value);
      continue;
    }
    // Pass the stream up to the end of its first job event (one with an id), then cut the connection.
    held += decoder.decode(chunk.value, { stream: true });
    const first = /(^|\n)id: /.exec(held);
    const end = first ? held.indexOf('\n\n', first.index + 1) : -1;
    if (end < 0) continue;
    res.write(held.slice(0, end + 2));
    eventStreams.cut += 1;
    await reader.cancel().catch(() => {});
    res.destroy();
    return;
  }
  res.end();
}

function cli(args: string[]): Promise<CliRun> {
  return runCli(args, { url: base, token: TOKEN, timeoutMs: 50_000 });
}

/** Opens `activity.feed` with the token, as a browser tab would, and reads until it is connected. */
async function openFeed(signal: AbortSignal) {
  const res = await r.trpc.GET(new Request(`${base}/api/trpc/activity.feed`, { headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' }, signal }));
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let text = '';
  while (!text.includes('event: connected')) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += new TextDecoder().decode(chunk.value);
  }
  return reader;
}

beforeAll(async () => {
  Object.assign(process.env, { REDIS_URL: redisUrl(), ADMIN_TOKEN: TOKEN, CATALOG_PREFIX: ns.catalogPrefix, ADMIN_PREFIX: ns.adminPrefix, STREAMS_PER_PRINCIPAL: '2' });
  r = await load();
  await r.services.cache.seed(['groq', 'xai']);
  server = http.createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  r.services.adminRedis.disconnect();
  r.services.catalogRedis.disconnect();
  r.services.hub.close();
  await closeAll();
});

describe('cli invalidate --wait', () => {
  it('follows the live stream when it is there (no polling)', async () => {
    mode = 'pass';
    const run = await cli(['invalidate', 'groq', '--wait', '--timeout', '20']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^Started job \w+\n/);
    expect(run.stderr).not.toContain('polling');
    expect(eventStreams.status).toEqual([200]);
  }, 60_000);

  it('with every live-stream slot of the token held (429), still reports the completed job with its id, exit 0', async () => {
    mode = 'pass';
    const tabs = new AbortController();
    const feeds = [await openFeed(tabs.signal), await openFeed(tabs.signal)];
    try {
      const run = await cli(['invalidate', 'groq,xai', '--wait', '--json', '--timeout', '20']);
      expect(eventStreams.status).toContain(429); // the stream was refused
      expect(run.code, run.stderr).toBe(0);
      const out = JSON.parse(run.stdout) as { jobId: string; status: string; result: { providersInvalidated: number } };
      expect(out).toMatchObject({ status: 'completed', result: { providersInvalidated: 2 } });
      expect(run.stdout.trim().split('\n')).toHaveLength(1);
      expect(await r.services.invalidation.get(out.jobId)).toMatchObject({ status: 'completed' });
      // One job: the CLI did not start another.
      const history = await r.services.invalidation.history({ limit: 10 });
      expect(history.items.filter((j) => j.request.providers !== 'all' && j.request.providers.includes('xai')).map((j) => j.id)).toEqual([out.jobId]);
    } finally {
      await Promise.all(feeds.map((f) => f.cancel().catch(() => {})));
      tabs.abort();
    }
  }, 60_000);

  it('with its stream cut after the first event and every reconnection refused (502), polls the job to its end', async () => {
    mode = 'cut';
    await until(() => expect(r.services.hub.size()).toBe(0)); // the previous test's tabs are gone
    const run = await cli(['invalidate', 'groq', '--wait', '--timeout', '20']);
    expect(eventStreams.cut).toBe(1);
    expect(run.code, run.stderr).toBe(0);
    const jobId = /\(job (\w+)\)\n$/.exec(run.stdout)?.[1] ?? '';
    expect(run.stdout).toMatch(/^Invalidated 1 providers, deleted \d+ keys in \d+ ms \(job \w+\)\n$/);
    expect(run.stderr).toContain(`Started job ${jobId}`);
    expect(run.stderr).toContain(`polling job ${jobId}`);
    expect(await r.services.invalidation.get(jobId)).toMatchObject({ status: 'completed' });
  }, 60_000);

  it('when the job cannot be followed at all (streams 502, reads 403 from a proxy) until --timeout, exits 6 ("created, state unknown") with the job id, not 5', async () => {
    mode = 'lost';
    const run = await cli(['invalidate', 'xai', '--wait', '--json', '--timeout', '3']);
    expect(run.code, run.stderr).toBe(6);
    const out = JSON.parse(run.stdout) as { jobId: string; status: string; error: { code: string; message: string } };
    expect(out).toMatchObject({ status: 'unknown', error: { code: 'JOB_STATE_UNKNOWN' } });
    expect(out.error.message).toContain(out.jobId);
    expect(run.stderr).toContain(`status ${out.jobId} --wait`);
    await until(async () => expect(await r.services.invalidation.get(out.jobId)).toMatchObject({ status: 'completed' }));
    mode = 'pass';
  }, 60_000);
});
