/**
 * Where a provider's catalog comes from when the cache misses: the bundled data (works offline) or
 * an OpenAI-compatible `GET /v1/models` URL configured through PROVIDER_SOURCES.
 */
import 'server-only';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { redactedError, redactUrl } from '~/server/lib/redact';
import { bundledCatalogSchema, type Model, type ProviderCatalog } from '../schema';

export interface ProviderSource {
  readonly provider: string;
  readonly displayName: string;
  /** "bundled" or the URL, shown to admins. */
  readonly description: string;
  load(signal?: AbortSignal): Promise<ProviderCatalog>;
}

export const BUNDLED_DIR = path.join(process.cwd(), 'data', 'catalog');

export function bundledSource(provider: string, displayName: string, dir = BUNDLED_DIR): ProviderSource {
  return {
    provider,
    displayName,
    description: 'bundled',
    async load() {
      const raw = JSON.parse(await readFile(path.join(dir, `${provider}.json`), 'utf8')) as unknown;
      const data = bundledCatalogSchema.parse(raw);
      return { provider, displayName: data.displayName, models: data.models };
    },
  };
}

const openAiModelsSchema = z.object({
  data: z.array(
    z.looseObject({
      id: z.string().min(1),
      name: z.string().optional(),
      context_length: z.number().int().positive().optional(),
      context_window: z.number().int().positive().optional(),
      // OpenRouter-style per-token prices, as decimal strings.
      pricing: z.looseObject({ prompt: z.coerce.number(), completion: z.coerce.number() }).optional(),
    }),
  ),
});

export interface UrlSourceOptions {
  provider: string;
  url: string;
  /** Sent as `Authorization: Bearer`. */
  apiKey?: string;
  /** More request headers (`x-api-key`, `api-key`…): how a key the provider wants elsewhere is sent. */
  headers?: Readonly<Record<string, string>>;
  timeoutMs?: number;
}

/**
 * A source's URL as it may be shown and stored (the public catalog answer carries it as `source`):
 * scheme, host and path only. A query string or user:password may hold a credential.
 */
export const publicUrl = redactUrl;

export function openAiCompatibleSource({ provider, url, apiKey, headers = {}, timeoutMs = 10_000 }: UrlSourceOptions): ProviderSource {
  const shown = publicUrl(url);
  return {
    provider,
    displayName: provider,
    description: shown,
    async load(signal) {
      const timeout = AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { accept: 'application/json', ...headers, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (err) {
        // fetch's errors may quote the whole URL, credentials and query included: never pass them on.
        throw redactedError(err);
      }
      if (!response.ok) throw new Error(`${provider}: GET ${shown} answered ${response.status}`);
      const body = openAiModelsSchema.parse(await response.json());
      const models: Model[] = body.data.map((m) => ({
        id: m.id,
        name: m.name ?? m.id,
        contextLength: m.context_length ?? m.context_window ?? null,
        pricing: m.pricing
          ? { inputPerMTok: perMillion(m.pricing.prompt), outputPerMTok: perMillion(m.pricing.completion) }
          : null,
        modalities: ['text'],
      }));
      return { provider, displayName: provider, models };
    },
  };
}

/** Per-token decimal strings to USD per million tokens, rounded to a millionth of a dollar (no 0.19999…). */
const perMillion = (perToken: number) => Math.round(perToken * 1e12) / 1e6;
