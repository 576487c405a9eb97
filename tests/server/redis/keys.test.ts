import { describe, expect, it } from 'vitest';
import { envSchema } from '~/server/env';
import { adminKeys, catalogKeys } from '~/server/redis/keys';

describe('keys', () => {
  const keys = catalogKeys('catalog:');

  it('builds every catalog key under the prefix', () => {
    expect(keys.providerModels('groq')).toBe('catalog:provider:{groq}:models');
    expect(keys.providerPricing('groq')).toBe('catalog:provider:{groq}:pricing');
    expect(keys.providerKeys('groq')).toEqual(['catalog:provider:{groq}:models', 'catalog:provider:{groq}:pricing']);
    expect([keys.providerGeneration('groq'), keys.providerLease('groq')]).toEqual(['catalog:provider:{groq}:gen', 'catalog:provider:{groq}:lease']);
    expect([keys.fullCatalog, keys.providerList, keys.pricing]).toEqual(['catalog:{global}:all', 'catalog:{global}:providers', 'catalog:{global}:pricing']);
    expect([keys.globalGeneration, keys.globalLease]).toEqual(['catalog:{global}:gen', 'catalog:{global}:lease']);
  });

  it('gives keys that one script or MULTI touches together one hash tag (one Redis Cluster slot)', () => {
    const admin = adminKeys('cacheadmin:');
    const tag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];
    expect(new Set([...keys.providerKeys('groq'), keys.providerGeneration('groq'), keys.providerLease('groq')].map(tag))).toEqual(new Set(['groq']));
    expect(new Set([keys.fullCatalog, keys.providerList, keys.pricing, keys.globalGeneration, keys.globalLease].map(tag))).toEqual(new Set(['global']));
    const jobKeys = [admin.job('abc'), admin.jobEvents('abc'), admin.history, admin.pendingJobs, admin.jobLeases, admin.jobOwners, admin.finishedJobs];
    expect(new Set(jobKeys.map(tag))).toEqual(new Set(['jobs']));
    expect(admin.jobEvents('abc')).toBe('cacheadmin:{jobs}:job:abc:events');
    expect(new Set(jobKeys).size).toBe(jobKeys.length);
    expect([admin.session('h'), admin.activity]).toEqual(['cacheadmin:session:h', 'cacheadmin:activity']);
  });

  it('refuses provider names with glob, control or path characters', () => {
    for (const bad of ['*', 'gr?q', 'a[b]', 'groq\n', 'Groq', '', 'a:b', '-groq']) {
      expect(() => keys.providerModels(bad)).toThrow(/not a provider name/);
    }
  });

  it('owns only the keys it builds', () => {
    for (const key of [...keys.providerKeys('groq'), keys.fullCatalog, keys.providerList, keys.pricing]) expect(keys.owns(key)).toBe(true);
    const lookalikes = [
      'catalog:provider:{groq}:models:x',
      'catalog:provider:groq:models',
      'catalog:provider:{gr*q}:models',
      'catalog:provider:{Groq}:models',
      'catalogx:{global}:all',
      'catalog:{global}:allx',
      'xcatalog:{global}:all',
      'catalog:all',
      'catalog:provider:{groq}',
      // Fences and leases are bumped and taken, never deleted.
      keys.providerGeneration('groq'),
      keys.providerLease('groq'),
      keys.globalGeneration,
      keys.globalLease,
    ];
    for (const other of lookalikes) {
      expect(keys.owns(other)).toBe(false);
    }
  });

  it('rejects overlapping catalog and admin prefixes at start-up', () => {
    const base = { ADMIN_TOKEN: 'x'.repeat(32) };
    expect(envSchema.safeParse({ ...base, CATALOG_PREFIX: 'gw:', ADMIN_PREFIX: 'gw:admin:' }).success).toBe(false);
    expect(envSchema.safeParse({ ...base, CATALOG_PREFIX: 'catalog:', ADMIN_PREFIX: 'cacheadmin:' }).success).toBe(true);
    expect(envSchema.safeParse({ ...base, CATALOG_PREFIX: 'cat*:' }).success).toBe(false);
    expect(envSchema.safeParse({ ADMIN_TOKEN: 'short' }).success).toBe(false);
  });
});

describe('validation messages', () => {
  it('name the bad input in words, through unions', async () => {
    const { invalidationRequestSchema } = await import('~/server/invalidation/schema');
    const { describeZodError } = await import('~/server/lib/validation');
    const message = (input: unknown) => {
      const parsed = invalidationRequestSchema.safeParse(input);
      return parsed.success ? 'ok' : describeZodError(parsed.error);
    };
    expect(message({ providers: ['groq', 'gr*q'] })).toBe('Invalid input: providers.1: provider name contains a glob character (* ? [ ] { } ^ \\)');
    expect(message({ providers: [] })).toBe('Invalid input: providers: providers is empty: name at least one provider, or "all"');
    expect(message({ providers: 'everything' })).toMatch(/providers: Invalid input: expected "all"/);
    expect(message({ providers: ['groq'] })).toBe('ok');
  });
});

describe('schedule keys', () => {
  it('live under the admin prefix, outside the catalog namespace, and share one hash tag (their scripts touch one slot)', () => {
    const keys = adminKeys('cacheadmin:');
    const all = [keys.schedules, keys.scheduleDue, keys.scheduleRuns, keys.scheduleClaims];
    expect(all).toEqual(['cacheadmin:{schedules}', 'cacheadmin:{schedules}:due', 'cacheadmin:{schedules}:runs', 'cacheadmin:{schedules}:claims']);
    expect(new Set(all.map((k) => /\{([^}]+)\}/.exec(k)?.[1]))).toEqual(new Set(['schedules']));
    for (const key of all) expect(catalogKeys('catalog:').owns(key)).toBe(false);
  });
});
