/**
 * Instruments the provider registry for the metrics: each source's `load` is timed and counted by
 * provider and outcome, wherever it is called from (a reader's rebuild, a job's refresh, the pricing
 * rebuild, a seed), so no call site changes.
 */
import 'server-only';
import { createRegistry, type ProviderRegistry } from '~/server/catalog/sources/registry';
import type { ProviderSource } from '~/server/catalog/sources/sources';

export function instrumentRegistry(registry: ProviderRegistry, fetched: (provider: string, ok: boolean, seconds: number) => void): ProviderRegistry {
  const sources = registry.names().flatMap((name) => {
    const source = registry.get(name);
    return source ? [timed(source, fetched)] : [];
  });
  return createRegistry(sources);
}

function timed(source: ProviderSource, fetched: (provider: string, ok: boolean, seconds: number) => void): ProviderSource {
  return {
    provider: source.provider,
    displayName: source.displayName,
    description: source.description,
    async load(signal) {
      const started = performance.now();
      try {
        const catalog = await source.load(signal);
        fetched(source.provider, true, (performance.now() - started) / 1000);
        return catalog;
      } catch (err) {
        fetched(source.provider, false, (performance.now() - started) / 1000);
        throw err;
      }
    },
  };
}
