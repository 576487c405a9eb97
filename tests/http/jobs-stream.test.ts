/**
 * invalidation.jobsEvents over HTTP, called as Next calls the tRPC route: many jobs over one
 * subscription, each job's events complete and in order, a resume after a cut (with the cursor
 * the client got as its last SSE id) losing and repeating none, and the whole stream counted as one
 * of the principal's live streams (STREAMS_PER_PRINCIPAL is 1 here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent, StoredEvent } from '~/server/invalidation/schema';
import { startRedisProxy, type RedisProxy } from '~/scripts/lib/redis-proxy';
import { closeAll, namespace, redisUrl } from '../support/redis';
import { until } from '../support/until';

const TOKEN = 'jobs-stream-admin-token-0123456789abcdef';
const ns = namespace();
const origin = 'http://localhost:3000';
const actor = { kind: 'token', label: 'jobs-stream test' } as const;
let r: Awaited<ReturnType<typeof load>>;
let proxy: RedisProxy;

async function load() {
  return { trpc: await import('~/app/api/trpc/[trpc]/route'), services: (await import('~/server/app/services')).getServices() };
}

beforeAll(async () => {
  const url = new URL(redisUrl());
  // The catalog through a proxy that can hold its commands (a job then stays in its batch).
  proxy = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
  Object.assign(process.env, { REDIS_URL: redisUrl(), CATALOG_REDIS_URL: proxy.url, ADMIN_TOKEN: TOKEN, CATALOG_PREFIX: ns.catalogPrefix, ADMIN_PREFIX: ns.adminPrefix, STREAMS_PER_PRINCIPAL: '1' });
  r = await load();
  await r.services.cache.seed();
});

afterAll(async () => {
  await r.services.shutdown(0);
  await closeAll();
  await proxy.close();
});

type Item = { jobId: string; id: string; event: JobEvent } | { jobId: string; missing: true; message: string };
interface Frame {
  id: string | null;
  event: string | null;
  data: string;
}

/** Opens an SSE subscription as the browser's EventSource would. */
function open(path: string, input: unknown, signal?: AbortSignal) {
  const url = `${origin}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;
  return r.trpc.GET(new Request(url, { headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' }, signal }));
}

/** Reads frames until `enough` says stop (then cancels: the cut) or the stream ends. */
async function readFrames(res: Response, enough: (items: Frame[]) => boolean = () => false): Promise<Frame[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const frames: Frame[] = [];
  let text = '';
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) return frames;
    text += decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const raw = text.slice(0, end);
      text = text.slice(end + 2);
      const frame: Frame = { id: null, event: null, data: '' };
      for (const line of raw.split('\n')) {
        if (line.startsWith('id: ')) frame.id = line.slice(4);
        else if (line.startsWith('event: ')) frame.event = line.slice(7);
        else if (line.startsWith('data: ')) frame.data += line.slice(6);
      }
      frames.push(frame);
      if (frame.event === 'return') return frames;
      if (enough(frames)) {
        await reader.cancel();
        return frames;
      }
    }
  }
}

const dataFrames = (frames: Frame[]) => frames.filter((f) => f.event === null && f.id !== null);
const items = (frames: Frame[]) => dataFrames(frames).map((f) => JSON.parse(f.data) as Item);

async function storedEvents(jobId: string): Promise<StoredEvent[]> {
  const events = [];
  for await (const item of r.services.invalidation.events(jobId, null)) events.push(item);
  return events;
}

describe('invalidation.jobsEvents', () => {
  it('streams 12 jobs over one subscription, every event in order per job; a resume after a cut loses and repeats none', async () => {
    const names = r.services.registry.names().slice(0, 12);
    const jobIds: string[] = [];
    for (const name of names) jobIds.push((await r.services.invalidation.start({ providers: [name] }, actor)).jobId);

    const first = await open('invalidation.jobsEvents', { jobIds });
    expect(first.status).toBe(200);
    // Cut at the first job's end: that one must not be followed again, the other eleven must go on.
    const before = await readFrames(first, (frames) => items(frames).some((i) => 'event' in i && i.event.type === 'completed'));
    expect(items(before).filter((i) => 'event' in i && i.event.type === 'completed')).toHaveLength(1);
    const cursor = dataFrames(before).at(-1)?.id;
    expect(cursor).toMatch(/^[0-9a-z]{19}:(\d+-\d+|end)(,[0-9a-z]{19}:(\d+-\d+|end))*$/);

    // The cut stream's slot is freed (it was one slot, for twelve jobs); the resume takes it again.
    await until(() => expect(r.services.streams.openFor('bootstrap')).toBe(0));
    const rest = await readFrames(await open('invalidation.jobsEvents', { jobIds, lastEventId: cursor }));
    expect(rest.at(-1)?.event).toBe('return'); // it ended by itself once every job had

    const got = [...items(before), ...items(rest)];
    for (const jobId of jobIds) {
      const expected = (await storedEvents(jobId)).map((e) => [e.id, e.event.type]);
      const seen = got.filter((i) => i.jobId === jobId).map((i) => ('missing' in i ? ['missing'] : [i.id, i.event.type]));
      expect(seen).toEqual(expected);
      expect(expected.at(-1)?.[1]).toBe('completed');
    }
    expect(got.some((i) => 'missing' in i)).toBe(false);
  });

  it('counts as one live stream however many jobs it follows: with it open, the next stream is refused', async () => {
    const names = r.services.registry.names().slice(12, 20);
    // The catalog Redis holds every command: the jobs stay in their batch, the stream stays open.
    proxy.pause();
    try {
      const jobIds: string[] = [];
      for (const name of names) jobIds.push((await r.services.invalidation.start({ providers: [name] }, actor)).jobId);
      const held = await open('invalidation.jobsEvents', { jobIds });
      expect(held.status).toBe(200);
      const reader = (held.body as ReadableStream<Uint8Array>).getReader();
      await reader.read(); // the generator runs once the body is pulled: the slot is taken
      await until(() => expect(r.services.streams.openFor('bootstrap')).toBe(1));
      const next = await open('activity.feed', undefined);
      expect(next.status).toBe(429);
      expect(await next.text()).toMatch(/Too many live streams: admin \(bootstrap\) has 1 open on this server \(at most 1\)/);
      await reader.cancel();
      await until(() => expect(r.services.streams.openFor('bootstrap')).toBe(0));
    } finally {
      proxy.resume();
    }
  });

  it('reports a job that does not exist as missing and follows the others to their end', async () => {
    const [name] = r.services.registry.names().slice(20, 21);
    const { jobId } = await r.services.invalidation.start({ providers: [name as string] }, actor);
    const ghost = '0000000000000000000';
    const frames = await readFrames(await open('invalidation.jobsEvents', { jobIds: [ghost, jobId] }));
    const got = items(frames);
    expect(got.filter((i) => i.jobId === ghost)).toEqual([{ jobId: ghost, missing: true, message: `No invalidation job ${ghost}` }]);
    expect(got.filter((i) => i.jobId === jobId).map((i) => ('event' in i ? i.event.type : 'missing'))).toEqual(['queued', 'started', 'completed']);
    expect(frames.at(-1)?.event).toBe('return');
  });

  it('refuses bad input in words: no jobs, a job twice, more than 50, a cursor of another shape', async () => {
    const id = '0000000000000000000';
    const cases: [unknown, RegExp][] = [
      [{ jobIds: [] }, /jobIds is empty/],
      [{ jobIds: [id, id] }, /names a job twice/],
      [{ jobIds: Array.from({ length: 51 }, (_, i) => `${'0'.repeat(9)}${i.toString(16).padStart(10, '0')}`) }, /at most 50 jobs/],
      [{ jobIds: [id], lastEventId: '1-0' }, /not a cursor/],
      [{ jobIds: ['nope'] }, /not a job id/],
    ];
    for (const [input, message] of cases) {
      const res = await open('invalidation.jobsEvents', input);
      const text = await res.text();
      const error = /event: serialized-error\ndata: (.*)\n/.exec(text)?.[1];
      const parsed = JSON.parse(error ?? '{}') as { message?: string; data?: { code?: string } };
      expect(parsed.data?.code, text.slice(0, 200)).toBe('BAD_REQUEST');
      expect(parsed.message).toMatch(message);
    }
  });
});
