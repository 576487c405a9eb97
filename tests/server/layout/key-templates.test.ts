import { describe, expect, it } from 'vitest';
import { envSchema } from '~/server/env';
import { hashTag, matcher, overlapProblems, parseTemplates, render, renderer, scanPattern, type KeyTemplates } from '~/server/layout/key-templates';
import { catalogKeys } from '~/server/redis/keys';

/** The example of docs/fitting-your-gateway.md: a gateway like the system we replace. */
const gateway: KeyTemplates = {
  providerModels: 'gw:models:$provider',
  providerPricing: 'gw:pricing:$provider',
  fullCatalog: 'gw:models:all',
  providerList: 'gw:providers',
  globalPricing: 'gw:pricing:all',
  modelKey: 'gw:model:$provider:$model',
  modelIndex: 'gw:models:$provider:ids',
};
const reserved = [
  { label: 'ADMIN_PREFIX', prefix: 'cacheadmin:' },
  { label: 'CATALOG_PREFIX', prefix: 'catalog:' },
];
const problemsOf = (templates: Record<string, unknown>) => {
  const parsed = parseTemplates(JSON.stringify(templates), reserved);
  return parsed.ok ? [] : parsed.problems;
};

describe('CATALOG_KEYS templates', () => {
  it('accepts the example layout, and renders, matches and scans its keys', () => {
    expect(parseTemplates(JSON.stringify(gateway), reserved)).toEqual({ ok: true, templates: gateway });
    expect(overlapProblems(gateway, ['groq', 'xai', 'openai'])).toEqual([]);
    expect(render(gateway.modelKey as string, { provider: 'groq', model: 'llama-3.1-8b' })).toBe('gw:model:groq:llama-3.1-8b');
    expect(matcher(gateway.modelKey as string)('gw:model:groq:a:b')).toEqual({ provider: 'groq', model: 'a:b' });
    expect(matcher(gateway.providerModels)('gw:models:groq:backup')).toBeNull();
    expect(scanPattern(gateway.modelKey as string, 'groq')).toBe('gw:model:groq:*');
    expect(scanPattern('gw:[x]:$provider:$model', 'a')).toBe('gw:\\[x\\]:a:*');
    expect(hashTag('gw:{groq}:models')).toBe('groq');
    expect(hashTag('gw:{}:models')).toBeNull();
  });

  it('renders per-model keys with a compiled renderer exactly as with render, whatever the order of the placeholders', () => {
    for (const template of ['gw:model:$provider:$model', '$model@$provider', 'x:{$provider}:$model:y']) {
      expect(renderer(template)('groq', 'llama-3.1-8b')).toBe(render(template, { provider: 'groq', model: 'llama-3.1-8b' }));
    }
    expect(renderer('gw:model:$provider:$model')('groq', 'a:b')).toBe('gw:model:groq:a:b');
  });

  it('names every problem: placeholders, glob characters, braces, separators, unknown names, reserved prefixes', () => {
    const problems = problemsOf({
      providerModels: 'gw:models',
      providerPricing: 'gw:pricing:$provider*',
      fullCatalog: 'gw:all:$provider',
      providerList: 'gw:{providers',
      globalPricing: 'cacheadmin:pricing',
      modelKey: 'gw:model:$provider-$model',
      colour: 'red',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'unknown template "colour" (known: providerModels, providerPricing, fullCatalog, providerList, globalPricing, modelKey, modelIndex)',
        'providerModels must contain $provider exactly once',
        expect.stringMatching(/^providerPricing contains a glob character/),
        'fullCatalog must not contain $provider (it is one key for all providers)',
        expect.stringMatching(/^providerList: braces must form a non-empty hash tag/),
        expect.stringMatching(/^modelKey: \$provider must be followed by a character no provider name contains/),
      ]),
    );
    expect(problemsOf({ ...gateway, globalPricing: 'cacheadmin:pricing' })).toEqual(['globalPricing can build keys under ADMIN_PREFIX "cacheadmin:"']);
    expect(problemsOf({ ...gateway, providerModels: 'catalog:$provider' })).toEqual(['providerModels can build keys under CATALOG_PREFIX "catalog:"']);
    expect(problemsOf({ ...gateway, modelKey: undefined })).toEqual(['modelIndex needs modelKey (the index lists the ids of the per-model keys)']);
    expect(problemsOf({ ...gateway, modelKey: 'gw:model:$provider' })).toEqual(['modelKey must contain $model exactly once']);
  });

  it('refuses templates that can build one key for two purposes, given the configured names', () => {
    // gw:models:all is the models key of a provider named "all".
    expect(overlapProblems(gateway, ['groq', 'all'])).toEqual(['providerModels and fullCatalog can build the same key', 'providerPricing and globalPricing can build the same key']);
    expect(overlapProblems({ ...gateway, modelIndex: 'gw:model:$provider:ids' }, ['groq'])).toEqual(['modelKey and modelIndex can build the same key']);
    expect(overlapProblems({ ...gateway, modelKey: 'gw:models:$provider:$model' }, ['groq'])).toEqual(['modelKey and modelIndex can build the same key']);
    expect(overlapProblems({ ...gateway, providerPricing: 'gw:models:$provider' }, ['groq'])).toEqual(['providerModels and providerPricing can build the same key']);
    expect(() => catalogKeys('catalog:', { templates: gateway, providers: ['groq', 'all'] })).toThrow(/CATALOG_KEYS: providerModels and fullCatalog can build the same key/);
  });

  it('stops the start with every problem named (env.ts)', () => {
    const base = { ADMIN_TOKEN: 'x'.repeat(32) };
    const bad = envSchema.safeParse({ ...base, CATALOG_KEYS: JSON.stringify({ providerModels: 'gw:*' }) });
    expect(bad.success).toBe(false);
    const messages = bad.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(messages).toEqual(expect.arrayContaining(['CATALOG_KEYS: providerModels must contain $provider exactly once', 'CATALOG_KEYS: fullCatalog is required']));
    expect(envSchema.safeParse({ ...base, CATALOG_KEYS: '{nope' }).error?.issues[0]?.message).toMatch(/^not JSON/);
    expect(envSchema.parse({ ...base, CATALOG_KEYS: JSON.stringify(gateway) }).catalogTemplates).toEqual(gateway);
    expect(envSchema.parse(base).catalogTemplates).toBeUndefined();
  });
});

describe('catalogKeys over a custom layout', () => {
  const keys = catalogKeys('catalog:', { templates: gateway, providers: ['groq', 'groq2', 'xai'] });

  it('builds the gateway keys, and keeps its own fences and leases under CATALOG_PREFIX in the slot of the key they fence', () => {
    expect(keys.layout).toBe('custom');
    expect(keys.providerKeys('groq')).toEqual(['gw:models:groq', 'gw:pricing:groq', 'gw:models:groq:ids']);
    expect(keys.modelKey?.('groq', 'llama')).toBe('gw:model:groq:llama');
    expect(keys.providerGeneration('groq')).toBe('catalog:{gw:models:groq}:gen');
    expect(keys.globalGeneration).toBe('catalog:{gw:models:all}:gen');
    const tagged = catalogKeys('catalog:', { templates: { ...gateway, providerModels: 'gw:{$provider}:models' } });
    expect(tagged.providerLease('groq')).toBe('catalog:{groq}:lease');
  });

  it('owns exactly its keys: lookalikes and other providers\' per-model keys are not a provider\'s', () => {
    for (const key of ['gw:models:groq', 'gw:models:groq:ids', 'gw:model:groq:x', 'gw:models:all', 'gw:providers']) expect(keys.owns(key)).toBe(true);
    for (const key of ['gw:models:groq:backup', 'gw:models:Groq', 'gw:modelsx', 'catalog:{gw:models:groq}:gen', 'gw:model:groq:']) expect(keys.owns(key)).toBe(false);
    expect(keys.isModelKeyOf('groq', 'gw:model:groq:x')).toBe(true);
    expect(keys.isModelKeyOf('groq', 'gw:model:groq2:x')).toBe(false);
    expect(keys.modelKeyOwner('gw:model:xai:grok-2')).toBe('xai');
    expect(() => keys.modelKey?.('groq', 'bad\nid')).toThrow(/not a model id/);
  });

  it('is the old layout when unset', () => {
    const native = catalogKeys('catalog:');
    expect(native.layout).toBe('native');
    expect(native.providerKeys('groq')).toEqual(['catalog:provider:{groq}:models', 'catalog:provider:{groq}:pricing']);
    expect(native.modelKey).toBeUndefined();
  });
});
