/** The review's smaller findings that were fixed: each assertion fails if its fix is undone. */
import { describe, expect, it } from 'vitest';
import { openAiCompatibleSource, publicUrl } from '~/server/catalog/sources/sources';
import { envSchema } from '~/server/env';
import { serializeError } from '~/server/log/logger';

describe('smaller findings', () => {
  it('a source URL is shown without its query string or credentials (the public catalog answer carries it)', () => {
    expect(publicUrl('https://user:secret@api.example.com/v1/models?api_key=sk-123#x')).toBe('https://api.example.com/v1/models');
    expect(publicUrl('not a url')).toBe('a configured URL');
    const source = openAiCompatibleSource({ provider: 'acme', url: 'https://api.example.com/v1/models?key=sk-live-1' });
    expect(source.description).toBe('https://api.example.com/v1/models');
  });

  it('unexpected errors are logged as name and message, never the object (a ReplyError carries its command’s arguments)', () => {
    const reply = Object.assign(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'), {
      name: 'ReplyError',
      command: { name: 'hset', args: ['cacheadmin:account:acc_1', 'passwordHash', 'scrypt$131072$8$1$salt$hash'] },
    });
    const logged = serializeError(new Error('job failed', { cause: reply }));
    expect(logged).toMatchObject({ type: 'Error', message: 'job failed', cause: { type: 'ReplyError', message: reply.message, command: 'hset' } });
    expect(JSON.stringify(logged)).not.toContain('scrypt$');
    expect(JSON.stringify(logged)).not.toContain('acc_1');
    expect(serializeError('a string')).toEqual({ type: 'string', message: 'a string' });
  });

  it('REBUILD_WAIT_MS=0 (every reader fetching: the stampede again) is refused at start-up', () => {
    const base = { ADMIN_TOKEN: 'x'.repeat(24) };
    expect(envSchema.safeParse({ ...base, REBUILD_WAIT_MS: '0' }).success).toBe(false);
    expect(envSchema.safeParse({ ...base, REBUILD_WAIT_MS: '100' }).success).toBe(true);
    expect(envSchema.safeParse({ ...base, TRUSTED_PROXIES: '10.0.0.0/99' }).error?.issues[0]?.message).toMatch(/TRUSTED_PROXIES/);
    expect(envSchema.parse(base).TRUSTED_PROXIES).toBeNull();
  });
});
