import { describe, expect, it } from 'vitest';
import { envAliases, envSchema, getEnv } from '~/server/env';

const base = { ADMIN_TOKEN: 'x'.repeat(24) };

describe('the process tier variables and their old L1_* names', () => {
  it('reads the new names, with their defaults when unset', () => {
    const env = envSchema.parse({ ...base, PROCESS_TIER_MAX_AGE_MS: '700', PROCESS_TIER_MAX_ENTRIES: '0' });
    expect([env.PROCESS_TIER_MAX_AGE_MS, env.PROCESS_TIER_MAX_ENTRIES, env.PROCESS_TIER_MAX_BYTES]).toEqual([700, 0, 64 * 1024 * 1024]);
  });

  it('accepts every old name alone, as if it were the new one', () => {
    const env = envSchema.parse({ ...base, L1_MAX_AGE_MS: '700', L1_MAX_ENTRIES: '0', L1_MAX_BYTES: '2048' });
    expect([env.PROCESS_TIER_MAX_AGE_MS, env.PROCESS_TIER_MAX_ENTRIES, env.PROCESS_TIER_MAX_BYTES]).toEqual([700, 0, 2048]);
  });

  it('checks an old name against the new one\'s bounds', () => {
    const parsed = envSchema.safeParse({ ...base, L1_MAX_AGE_MS: '1' });
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['PROCESS_TIER_MAX_AGE_MS']);
  });

  it('accepts both names set to the same value', () => {
    expect(envSchema.parse({ ...base, L1_MAX_ENTRIES: '10', PROCESS_TIER_MAX_ENTRIES: '10' }).PROCESS_TIER_MAX_ENTRIES).toBe(10);
  });

  it('refuses at start-up, in words, both names set to different values', () => {
    expect(() => getEnv({ ...base, PROCESS_TIER_MAX_AGE_MS: '2000', L1_MAX_AGE_MS: '1000' })).toThrow(
      'PROCESS_TIER_MAX_AGE_MS: PROCESS_TIER_MAX_AGE_MS (2000) and its old name L1_MAX_AGE_MS (1000) are both set, to different values: set PROCESS_TIER_MAX_AGE_MS only',
    );
  });

  it('names the three renames and nothing else', () => {
    expect(envAliases).toEqual({ PROCESS_TIER_MAX_AGE_MS: 'L1_MAX_AGE_MS', PROCESS_TIER_MAX_ENTRIES: 'L1_MAX_ENTRIES', PROCESS_TIER_MAX_BYTES: 'L1_MAX_BYTES' });
  });
});
