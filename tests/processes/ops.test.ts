/**
 * Operations against a real `next start`: the CLI run as a child process (wait, JSON, refusals in
 * words with their exit codes), GET /api/metrics and /api/ready over HTTP, a signed webhook to a
 * loopback receiver, and the log of the whole run: JSON lines that never contain the admin token, a
 * session id, an API token, an initial password or a password hash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startNext, TOKEN, trpc, type NextInstance } from '../support/next-instance';
import { client, closeAll, harness, namespace, redisUrl, type Harness } from '../support/redis';
import { runCli, type CliRun } from '../support/cli';
import { until } from '../support/until';
import { startReceiver, WEBHOOK_SECRET, type Receiver } from '../support/webhook-receiver';

let ns: ReturnType<typeof namespace>;
let h: Harness;
let next: NextInstance;
let receiver: Receiver;
const METRICS_TOKEN = 'metrics-only-token-0123456789abcdef';
/** Every secret the run handles, grepped for in the log at the end. */
const secrets: Record<string, string> = { adminToken: TOKEN };

/** `npm run cli -- …` against the instance, as the token. */
function cli(args: string[], token: string = TOKEN, env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, { url: next.url, token, env });
}

async function createToken(name: string, role: 'admin' | 'viewer'): Promise<string> {
  const { token } = await trpc<{ token: string }>(next.url, 'tokens.create', { name, role });
  return token;
}

beforeAll(async () => {
  ns = namespace();
  h = harness({ ns });
  await h.cache.seed(['groq', 'xai']);
  receiver = await startReceiver(() => 204);
  next = await startNext({
    REDIS_URL: redisUrl(),
    CATALOG_PREFIX: ns.catalogPrefix,
    ADMIN_PREFIX: ns.adminPrefix,
    LOG_LEVEL: 'debug',
    METRICS_TOKEN,
    WEBHOOK_URLS: receiver.url,
    WEBHOOK_SECRET,
    WEBHOOK_TICK_MS: '100',
    INVALIDATIONS_PER_ACTOR_PER_MINUTE: '2',
  });
});

afterAll(async () => {
  await next?.stop();
  await receiver?.close();
  await closeAll();
});

describe('the command line, against next start', () => {
  it('invalidates and waits, printing one JSON result; the job is signed out as a webhook', async () => {
    const token = await createToken('deploy pipeline', 'admin');
    secrets.apiToken = token;
    const run = await cli(['invalidate', 'groq,xai', '--wait', '--json'], token);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { jobId: string; status: string; result: { providersInvalidated: number; keysDeleted: number } };
    expect(out).toMatchObject({ status: 'completed', result: { providersInvalidated: 2 } });
    expect(out.result.keysDeleted).toBeGreaterThan(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);

    // The webhook: signed, verified as a receiver would, listed with its attempt in the job's detail.
    await until(() => expect(receiver.received.some((r) => r.headers['webhook-id'] === `msg_${out.jobId}`)).toBe(true));
    const got = receiver.received.find((r) => r.headers['webhook-id'] === `msg_${out.jobId}`);
    const payload = new Webhook(WEBHOOK_SECRET).verify(got?.body ?? '', got?.headers as Record<string, string>) as { type: string; data: { jobId: string } };
    expect(payload).toMatchObject({ type: 'invalidation.completed', data: { jobId: out.jobId } });
    const deliveries = await until(async () => {
      const list = await trpc<{ status: string; attempts: { status: number }[] }[]>(next.url, 'webhooks.deliveries', { jobId: out.jobId }, 'query');
      expect(list.map((d) => d.status)).toEqual(['delivered']);
      return list;
    });
    expect(deliveries[0]?.attempts.map((a) => a.status)).toEqual([204]);

    const status = await cli(['status', out.jobId], token);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`${out.jobId} completed: Invalidated 2 providers, deleted \\d+ keys in \\d+ ms`));
    const history = await cli(['history', '--limit', '5'], token);
    expect(history.code).toBe(0);
    expect(history.stdout).toContain(out.jobId);
  });

  it('prints plain lines when piped, previews without changing anything, and runs soft refreshes', async () => {
    const preview = await cli(['invalidate', 'groq', '--preview']);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/^Would delete \d+ keys/);
    const soft = await cli(['invalidate', 'groq', '--soft', '--refresh', '--wait']);
    expect(soft.code).toBe(0);
    expect(soft.stderr).toMatch(/^Started job \w+\n(queued: 1 providers\n)?started: 1 providers, 2 keys planned\n/);
    expect(soft.stderr).toMatch(/refresh groq: (refreshed|unchanged)/);
    expect(soft.stdout).toMatch(/^Invalidated 1 providers, deleted 0 keys in \d+ ms \(job \w+\)\n$/);
  });

  it('exits non-zero with the reason when a request is refused: unknown provider, 401, 403, 429 with the wait', async () => {
    const unknown = await cli(['invalidate', 'groq,nope', '--wait']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: Unknown providers?: nope\n$/);

    const bad = await cli(['invalidate', 'groq'], 'not-a-valid-token-0123456789abcdef');
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/^error: .*(sign in|Unauthorized|UNAUTHORIZED).*CATALOG_TOKEN/im);

    const viewer = await createToken('dashboard', 'viewer');
    const forbidden = await cli(['invalidate', 'groq', '--json'], viewer);
    expect(forbidden.code).toBe(3);
    expect(JSON.parse(forbidden.stdout)).toMatchObject({ error: { code: 'FORBIDDEN', httpStatus: 403 } });

    const busy = await createToken('busy pipeline', 'admin');
    secrets.busyToken = busy;
    expect((await cli(['invalidate', 'groq', '--wait'], busy)).code).toBe(0);
    expect((await cli(['invalidate', 'xai', '--wait'], busy)).code).toBe(0);
    const limited = await cli(['invalidate', 'groq,xai', '--json'], busy);
    expect(limited.code).toBe(4);
    const refusal = JSON.parse(limited.stdout) as { error: { code: string; httpStatus: number; retryAfterSeconds: number; message: string } };
    expect(refusal.error).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429 });
    expect(refusal.error.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.stderr).toMatch(/\d+ ?s/);

    const unreachable = await cli(['history'], TOKEN, { CATALOG_URL: 'http://127.0.0.1:1' });
    expect(unreachable.code).toBe(5);
    expect(unreachable.stderr).toMatch(/could not reach http:\/\/127\.0\.0\.1:1/);
  });
});

describe('metrics and readiness over HTTP', () => {
  it('serves Prometheus text to an admin or METRICS_TOKEN, and nothing to others', async () => {
    const get = (authorization?: string) => fetch(`${next.url}/api/metrics`, { headers: authorization ? { authorization } : {} });
    expect((await get()).status).toBe(401);
    expect((await get('Bearer wrong-token-0123456789abcdefgh')).status).toBe(401);
    for (const auth of [`Bearer ${TOKEN}`, `Bearer ${METRICS_TOKEN}`]) {
      const response = await get(auth);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expect(text).toMatch(/^catalog_invalidator_jobs_total\{status="completed"\} [1-9]/m);
      expect(text).toMatch(/^catalog_invalidator_keys_deleted_total [1-9]/m);
      expect(text).toMatch(/^catalog_invalidator_job_duration_seconds_bucket\{le="0\.001",status="completed"\}/m);
      expect(text).toMatch(/^catalog_invalidator_webhook_attempts_total\{outcome="delivered"\} [1-9]/m);
      expect(text).toMatch(/^catalog_invalidator_process_cpu_seconds_total /m);
    }
  });

  it('answers ready while both Redis connections answer and jobs are accepted; health stays liveness', async () => {
    const ready = await fetch(`${next.url}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, reasons: [], redis: { admin: 'up', catalog: 'up' }, accepting: true });
    expect((await fetch(`${next.url}/api/health`)).status).toBe(200);
  });
});

describe('the log of the whole run', () => {
  it('is JSON lines with the job id, actor and instance on job lines, and holds no secret', async () => {
    // A person signs in (a session id) with an account (an initial password, a password hash).
    const { account, initialPassword } = await trpc<{ account: { id: string; username: string }; initialPassword: string }>(next.url, 'accounts.create', { username: 'operator', role: 'admin' });
    const login = await fetch(`${next.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: next.url },
      body: JSON.stringify({ username: account.username, password: initialPassword }),
    });
    expect(login.status).toBe(200);
    const sessionId = /catalog_admin_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    expect(sessionId).toBeTruthy();
    const passwordHash = await client().hget(`${ns.adminPrefix}account:${account.id}`, 'passwordHash');
    expect(passwordHash).toBeTruthy();
    Object.assign(secrets, { initialPassword, sessionId, passwordHash });
    // The session is used (refused: its initial password must be changed first), and the refusal is audited.
    expect((await fetch(`${next.url}/api/trpc/session.me`, { headers: { cookie: `catalog_admin_session=${sessionId}` } })).status).toBe(403);

    const output = next.output();
    const lines = output.split('\n').filter((l) => l.startsWith('{'));
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.length).toBeGreaterThan(5);
    for (const line of parsed) expect(line).toMatchObject({ instance: expect.stringMatching(/:\d+$/), level: expect.any(String), msg: expect.any(String) });
    const jobLines = parsed.filter((l) => l.component === 'jobs' && l.jobId);
    expect(jobLines.map((l) => l.msg)).toEqual(expect.arrayContaining(['job created', 'job started', 'job completed']));
    for (const line of jobLines) expect(line.actor).toEqual(expect.stringMatching(/^(token|session|schedule):/));
    for (const [name, secret] of Object.entries(secrets)) expect(output.includes(secret as string), `the log contains the ${name}`).toBe(false);
  });
});
