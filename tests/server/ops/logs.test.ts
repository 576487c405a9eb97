/**
 * The structured log: JSON lines with the instance, and the job id and actor on every line of a job;
 * levels; secrets and Redis command arguments never printed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '~/server/log/logger';
import { client, closeAll, harness } from '../../support/redis';

afterAll(closeAll);

function capture(level: 'debug' | 'info' | 'warn' = 'debug') {
  const lines: string[] = [];
  const log = createLogger({ level, instance: 'test-instance', destination: { write: (line: string) => void lines.push(line) } });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logs', () => {
  it('put the job id, actor and instance on every line of a job, as JSON', async () => {
    const { log, parsed } = capture();
    const h = harness({ log, catalogUrl: 'redis://127.0.0.1:1' });
    const { jobId } = await h.invalidation.start({ providers: ['groq'] }, { kind: 'token', label: 'token deploy' });
    await h.runner.drain();
    const lines = parsed().filter((l) => l.jobId === jobId);
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['job created', 'job failed']));
    for (const line of lines) expect(line).toMatchObject({ instance: 'test-instance', jobId, actor: 'token:token deploy' });
    const failed = lines.find((l) => l.msg === 'job failed');
    expect(failed).toMatchObject({ level: 'error', status: 'failed' });
    expect(String(failed?.error)).toMatch(/Redis/);
    await h.shutdown(0);
  });

  it('honour the level', () => {
    const { log, lines } = capture('warn');
    log.info('not shown');
    log.warn('shown');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['shown']);
  });

  it('print no Redis command arguments and no secret fields', async () => {
    const { log, lines } = capture();
    const redis = client();
    // A real ReplyError from a real Redis: ioredis keeps the command's arguments on it.
    const err = await redis.call('SET', 't-log-secret-key', 'the-secret-value-in-an-argument', 'BOGUS').catch((e: unknown) => e);
    expect((err as { command?: { args?: unknown[] } }).command?.args).toContain('the-secret-value-in-an-argument');
    log.error({ err }, 'a command failed');
    log.info({ token: 'cit_abcdef', password: 'hunter22', headers: { authorization: 'Bearer xyz', cookie: 'catalog_admin_session=abc' }, account: { passwordHash: 'scrypt$1$2' } }, 'secrets');
    const text = lines.join('');
    for (const secret of ['the-secret-value-in-an-argument', 't-log-secret-key', 'cit_abcdef', 'hunter22', 'Bearer xyz', 'catalog_admin_session=abc', 'scrypt$1$2']) expect(text).not.toContain(secret);
    const first = JSON.parse(lines[0] as string) as { err: { type: string; command: string; message: string } };
    expect(first.err).toMatchObject({ type: 'ReplyError', command: 'SET' });
    expect(first.err.message).toMatch(/syntax error/i);
  });
});
