/**
 * Credentials in a configured URL never leave the server (issue 22, item 8). Node's fetch refuses a
 * URL with `user:password@` and quotes the whole of it, query included, in its error. With a source
 * and a webhook endpoint configured that way (past the start-up check, which refuses both), the
 * password and the key appear in none of: the public read path's 503, the refresh outcome of the
 * job record, its progress events, the webhook body, the webhook deliveries, the log. And the
 * start-up check refuses such URLs in words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelSource, type ModelSource } from '~/scripts/lib/model-source';
import { createRegistry, registryFromConfig } from '~/server/catalog/sources/registry';
import { openAiCompatibleSource } from '~/server/catalog/sources/sources';
import { envSchema, getEnv } from '~/server/env';
import { errorText, redactText, redactUrl, urlCredentials } from '~/server/lib/redact';
import { createLogger } from '~/server/log/logger';
import { closeAll, collectEvents, harness, type Harness } from '../../support/redis';
import { until } from '../../support/until';
import { startReceiver, WEBHOOK_SECRET, type Receiver } from '../../support/webhook-receiver';

const SECRETS = ['Sup3rS3cret', 'sk-live-123', 'H00kPa55', 'sk-hook-456'];
const expectNoSecret = (what: string, text: string) => {
  for (const secret of SECRETS) expect(text.includes(secret), `${what} holds ${secret}: ${text}`).toBe(false);
};

let source: ModelSource;
let receiver: Receiver;
let h: Harness;
const lines: string[] = [];

beforeAll(async () => {
  source = await startModelSource();
  receiver = await startReceiver(() => 204);
  // The recipe, on loopback: the source with user:password and a key in the query.
  const sourceUrl = `${source.url('acme').replace('http://', 'http://svc:Sup3rS3cret@')}?api_key=sk-live-123`;
  const log = createLogger({ level: 'debug', instance: 'leak-test', destination: { write: (line: string) => void lines.push(line) } });
  h = harness({
    registry: createRegistry([openAiCompatibleSource({ provider: 'acme', url: sourceUrl })]),
    log,
    // One endpoint with credentials (fetch refuses it), one with a token in its query (it receives the body).
    webhookUrls: [receiver.url.replace('http://', 'http://hook:H00kPa55@'), `${receiver.url}?token=sk-hook-456`],
    env: { WEBHOOK_SECRET, WEBHOOK_MAX_ATTEMPTS: '1', WEBHOOK_TICK_MS: '20' },
  });
});

afterAll(async () => {
  await h.shutdown(0);
  await Promise.all([source.close(), receiver.close()]);
  await closeAll();
});

describe('a credential in a configured URL', () => {
  it('is not in the 503 of an anonymous GET /api/catalog/models?provider=acme, nor in the log', async () => {
    // The real route handler, over this test's services (it reads them from the services holder).
    const holder = globalThis as unknown as { __catalogAdminServices?: unknown };
    const before = holder.__catalogAdminServices;
    holder.__catalogAdminServices = h;
    try {
      const { GET } = await import('~/app/api/catalog/models/route');
      const response = await GET(new Request('http://localhost:3000/api/catalog/models?provider=acme'));
      expect(response.status).toBe(503);
      const body = await response.text();
      expectNoSecret('the 503 body', body);
      expect(body).toMatch(/The source of acme failed: .*http:\/\/127\.0\.0\.1:\d+\/acme\/v1\/models/);
    } finally {
      holder.__catalogAdminServices = before;
    }
    expectNoSecret('the log', lines.join(''));
  });

  it('is not in the job record, its progress events, the webhook body, the deliveries or the log', async () => {
    h.webhooks.start();
    const { jobId } = await h.invalidation.start({ providers: ['acme'], refresh: true }, { kind: 'token', label: 'leak test' });
    const events = await collectEvents(h, jobId);
    const record = await h.invalidation.get(jobId);
    expect(record.status).toBe('completed');
    expect(record.result?.refresh?.[0]).toMatchObject({ provider: 'acme', status: 'failed', error: expect.stringMatching(/the source failed: .*credentials/) });
    expectNoSecret('result.refresh[].error', JSON.stringify(record));
    const refreshEvents = events.filter((e) => e.event.type === 'progress' && e.event.stage === 'refresh');
    expect(refreshEvents).toHaveLength(1);
    expectNoSecret('the events', JSON.stringify(events));

    const deliveries = await until(async () => {
      const list = await h.webhooks.deliveries(jobId);
      expect(list.map((d) => d.status)).toEqual(['failed', 'delivered']);
      return list;
    });
    expectNoSecret('webhooks.deliveries', JSON.stringify(deliveries));
    expect(deliveries[0]?.error).toMatch(/could not connect \(.*http:\/\/127\.0\.0\.1:\d+\/hooks\/catalog/);
    expect(deliveries.map((d) => d.endpoint)).toEqual([receiver.url, receiver.url]);
    const body = receiver.received.find((r) => r.headers['webhook-id'] === `msg_${jobId}`)?.body ?? '';
    expect(body).toContain('"status":"failed"'); // the refresh outcome is in it
    expectNoSecret('the webhook body', body);
    await until(() => expect(lines.join('')).toContain('webhook given up'));
    expectNoSecret('the log', lines.join(''));
  });

  it('is redacted from any error the log prints, causes and stack included', async () => {
    const err = await fetch('http://svc:Sup3rS3cret@127.0.0.1:9/v1/models?api_key=sk-live-123').catch((e: unknown) => e);
    expect(String((err as Error).message)).toContain('Sup3rS3cret'); // what fetch does
    const wrapped = new Error('loading failed', { cause: err });
    const printed: string[] = [];
    createLogger({ level: 'info', instance: 'x', destination: { write: (l: string) => void printed.push(l) } }).error({ err: wrapped }, 'a source failed');
    expectNoSecret('the logged error', printed.join(''));
    expect(printed.join('')).toContain('http://127.0.0.1:9/v1/models');
  });
});

describe('the redaction (pure)', () => {
  it('keeps scheme, host and path of every URL in a text, and nothing of userinfo, query or fragment', () => {
    expect(redactUrl('https://u:p@h.example.com:8443/v1/models?api_key=k#f')).toBe('https://h.example.com:8443/v1/models');
    expect(redactUrl('not a url')).toBe('a configured URL');
    expect(redactText('GET (https://u:p@h/x?k=v). Then http://h/y.')).toBe('GET (https://h/x). Then http://h/y.');
    expect(redactText('no url here: 127.0.0.1:9')).toBe('no url here: 127.0.0.1:9');
    const cause = Object.assign(new Error(''), { code: 'ECONNREFUSED' });
    expect(errorText(new TypeError('fetch failed', { cause }))).toBe('fetch failed: ECONNREFUSED');
    expect(errorText(new Error('a', { cause: new Error('see https://u:p@h/x?k=v') }))).toBe('a: see https://h/x');
    expect(errorText('plain')).toBe('plain');
  });

  it('names credentials in a URL: user:password, and query parameters named like a secret', () => {
    expect(urlCredentials('https://u:p@h/x')).toEqual({ userinfo: true, secretParams: [] });
    expect(urlCredentials('https://u@h/x').userinfo).toBe(true);
    expect(urlCredentials('https://h/x?api_key=1&key=2&access_token=3&X-Api-Key=4&sig=5').secretParams).toEqual(['api_key', 'key', 'access_token', 'X-Api-Key', 'sig']);
    expect(urlCredentials('https://h/x?api-version=2024-02-01&format=json&limit=100&monkey=1&keys=a').secretParams).toEqual([]);
    expect(urlCredentials('not a url')).toEqual({ userinfo: false, secretParams: [] });
  });
});

describe('start-up', () => {
  const base = { ADMIN_TOKEN: 'x'.repeat(24) };
  const sources = (url: string) => JSON.stringify({ acme: { url } });

  it('refuses a PROVIDER_SOURCES URL with user:password or a key in its query, in words that say what to do instead', () => {
    const refused = () => getEnv({ ...base, PROVIDER_SOURCES: sources('https://svc:Sup3rS3cret@models.example.com/v1/models?api_key=sk-live-123') });
    expect(refused).toThrow(/PROVIDER_SOURCES\.acme\.url: the URL carries user:password.*apiKeyEnv.*headersEnv/);
    expect(refused).not.toThrow(/Sup3rS3cret|sk-live-123/);
    expect(() => getEnv({ ...base, PROVIDER_SOURCES: sources('https://models.example.com/v1/models?api_key=sk-live-123') })).toThrow(/query parameter api_key looks like a credential.*apiKeyEnv/);
    expect(() => getEnv({ ...base, PROVIDER_SOURCES: '{nope' })).toThrow(/PROVIDER_SOURCES is not valid JSON/);
    // What is not a credential passes.
    expect(envSchema.safeParse({ ...base, PROVIDER_SOURCES: sources('https://x.openai.azure.com/openai/models?api-version=2024-02-01') }).success).toBe(true);
    // The registry (what the services build from it) refuses the same.
    expect(() => registryFromConfig(sources('https://svc:pw@models.example.com/v1/models'))).toThrow(/user:password/);
  });

  it('refuses a WEBHOOK_URLS entry with user:password without printing them; a token in the query is accepted', () => {
    const env = { ...base, WEBHOOK_SECRET };
    const refused = () => getEnv({ ...env, WEBHOOK_URLS: 'https://ok.example.com/h,https://hook:H00kPa55@hooks.example.com/h?token=sk-hook-456' });
    expect(refused).toThrow(/WEBHOOK_URLS: https:\/\/hooks\.example\.com\/h carries user:password/);
    expect(refused).not.toThrow(/H00kPa55|sk-hook-456/);
    expect(() => getEnv({ ...env, WEBHOOK_URLS: 'ftp://hook:H00kPa55@x/' })).not.toThrow(/H00kPa55/);
    expect(envSchema.parse({ ...env, WEBHOOK_URLS: 'https://hooks.example.com/h?token=sk-hook-456' }).WEBHOOK_URLS).toHaveLength(1);
  });

  it('sends a key named by headersEnv as that header', async () => {
    process.env.TEST_ACME_HEADER_KEY = 'hk-1';
    const seen: (string | undefined)[] = [];
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      seen.push(req.headers['x-api-key'] as string | undefined);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [{ id: 'm1' }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const registry = registryFromConfig(JSON.stringify({ acme: { url: `http://127.0.0.1:${port}/v1/models`, headersEnv: { 'x-api-key': 'TEST_ACME_HEADER_KEY' } } }));
      expect((await registry.get('acme')?.load())?.models.map((m) => m.id)).toEqual(['m1']);
      expect(seen).toEqual(['hk-1']);
    } finally {
      server.close();
    }
  });
});
