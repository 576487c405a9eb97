/**
 * The set of known providers: every bundled catalog file, with PROVIDER_SOURCES pointing any
 * provider (bundled or new) at an OpenAI-compatible models URL instead.
 */
import 'server-only';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readSecret } from '~/server/env';
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

const sourcesConfigSchema = z.record(
  providerNameSchema,
  z.strictObject({
    url: z.url({ protocol: /^https?$/ }),
    apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'apiKeyEnv must name an environment variable').optional(),
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
    for (const [provider, { url, apiKeyEnv }] of Object.entries(parsed.data)) {
      const apiKey = apiKeyEnv ? readSecret(apiKeyEnv) : undefined;
      sources.set(provider, openAiCompatibleSource({ provider, url, apiKey }));
    }
  }
  return createRegistry([...sources.values()]);
}
