import { describe, expect, it } from 'vitest';
import { envSchema } from '~/server/env';
import { adminKeys, catalogKeys } from '~/server/redis/keys';

describe('keys', () => {
  const keys = catalogKeys('catalog:');

  it('builds every catalog key under the prefix', () => {
    expect(keys.providerModels('groq')).toBe('catalog:provider:groq:models');
    expect(keys.providerPricing('groq')).toBe('catalog:provider:groq:pricing');
    expect(keys.providerKeys('groq')).toEqual(['catalog:provider:groq:models', 'catalog:provider:groq:pricing']);
    expect([keys.fullCatalog, keys.providerList, keys.pricing]).toEqual(['catalog:all', 'catalog:providers', 'catalog:pricing']);
    expect(adminKeys('cacheadmin:').jobEvents('abc')).toBe('cacheadmin:job:abc:events');
  });

  it('refuses provider names with glob, control or path characters', () => {
    for (const bad of ['*', 'gr?q', 'a[b]', 'groq\n', 'Groq', '', 'a:b', '-groq']) {
      expect(() => keys.providerModels(bad)).toThrow(/not a provider name/);
    }
  });

  it('owns only the keys it builds', () => {
    expect(keys.owns('catalog:provider:groq:models')).toBe(true);
    expect(keys.owns('catalog:all')).toBe(true);
    for (const other of ['catalog:provider:groq:models:x', 'catalogx:all', 'catalog:provider:*:models', 'xcatalog:all', 'catalog:allx', 'catalog:provider:groq']) {
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
