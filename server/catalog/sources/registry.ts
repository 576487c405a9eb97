/**
 * The set of known providers: every bundled catalog file, with PROVIDER_SOURCES pointing any
 * provider (bundled or new) at an OpenAI-compatible models URL instead.
 */
import 'server-only';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readSecret, sourceUrlProblem } from '~/server/env';
import { describeZodError } from '~/server/lib/validation';
import { providerNameSchema } from '../schema';
import { BUNDLED_DIR, bundledSource, openAiCompatibleSource, type ProviderSource } from './sources';

export interface ProviderRegistry {
  /** Provider names, sorted. */
  names(): readonly string[];
  has(name: string): boolean;
  get(name: string): ProviderSource | undefined;
}

export function createRegistry(sources: ProviderSource[]): ProviderRegistry {
  const byName = new Map(sources.map((s) => [s.provider, s]));
  const names = [...byName.keys()].sort();
  return { names: () => names, has: (name) => byName.has(name), get: (name) => byName.get(name) };
}

const envName = (what: string) => z.string().regex(/^[A-Z_][A-Z0-9_]*$/, `${what} must name an environment variable`);

const sourcesConfigSchema = z.record(
  providerNameSchema,
  z.strictObject({
    url: z.url({ protocol: /^https?$/ }).superRefine((url, ctx) => {
      const problem = sourceUrlProblem(url);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    apiKeyEnv: envName('apiKeyEnv').optional(),
    /** Header name → the environment variable holding its value (a key the provider wants in `x-api-key`, `api-key`…). */
    headersEnv: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'headersEnv: a header name is letters, digits and "-"'), envName('a headersEnv value')).optional(),
  }),
);

export function loadBundledSources(dir = BUNDLED_DIR): ProviderSource[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const name = path.basename(file, '.json');
      const head = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { displayName?: string };
      return bundledSource(name, head.displayName ?? name, dir);
    });
}

/** Bundled providers, overridden or extended by PROVIDER_SOURCES (validated, with a readable error). */
export function registryFromConfig(providerSourcesJson: string | undefined, dir = BUNDLED_DIR): ProviderRegistry {
  const sources = new Map(loadBundledSources(dir).map((s) => [s.provider, s]));
  if (providerSourcesJson) {
    let raw: unknown;
    try {
      raw = JSON.parse(providerSourcesJson);
    } catch {
      throw new Error('PROVIDER_SOURCES is not valid JSON');
    }
    const parsed = sourcesConfigSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`PROVIDER_SOURCES: ${describeZodError(parsed.error)}`);
    for (const [provider, { url, apiKeyEnv, headersEnv = {} }] of Object.entries(parsed.data)) {
      const apiKey = apiKeyEnv ? readSecret(apiKeyEnv) : undefined;
      const headers = Object.fromEntries(Object.entries(headersEnv).flatMap(([header, name]) => {
        const value = readSecret(name);
        return value === undefined ? [] : [[header, value]];
      }));
      sources.set(provider, openAiCompatibleSource({ provider, url, apiKey, headers }));
    }
  }
  return createRegistry([...sources.values()]);
}
