/**
 * Every Redis key is built here. Catalog keys (what invalidation deletes) and admin keys (jobs,
 * events, history, sessions) live under separate prefixes that env.ts forbids to overlap.
 */

/** Provider names: lowercase, digits, ".", "_" and "-"; no glob or control characters. */
export const PROVIDER_NAME = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/;

export interface CatalogKeys {
  prefix: string;
  /** A hash: models (JSON), modelCount, cachedAt, source. */
  providerModels(provider: string): string;
  /** A string: the provider's pricing table (JSON). */
  providerPricing(provider: string): string;
  /** Every key that belongs to one provider, in a fixed order. */
  providerKeys(provider: string): string[];
  fullCatalog: string;
  providerList: string;
  pricing: string;
  /** True only for keys this module builds; the engine refuses anything else. */
  owns(key: string): boolean;
}

export function catalogKeys(prefix: string): CatalogKeys {
  const provider = (name: string, part: string) => {
    if (!PROVIDER_NAME.test(name)) throw new Error(`not a provider name: ${JSON.stringify(name)}`);
    return `${prefix}provider:${name}:${part}`;
  };
  const globals = new Set([`${prefix}all`, `${prefix}providers`, `${prefix}pricing`]);
  const providerKey = new RegExp(`^${escapeRegExp(prefix)}provider:([a-z0-9._-]+):(models|pricing)$`);
  return {
    prefix,
    providerModels: (name) => provider(name, 'models'),
    providerPricing: (name) => provider(name, 'pricing'),
    providerKeys: (name) => [provider(name, 'models'), provider(name, 'pricing')],
    fullCatalog: `${prefix}all`,
    providerList: `${prefix}providers`,
    pricing: `${prefix}pricing`,
    owns: (key) => globals.has(key) || (providerKey.test(key) && PROVIDER_NAME.test(providerKey.exec(key)?.[1] ?? '')),
  };
}

export interface AdminKeys {
  prefix: string;
  /** A hash: the job record. */
  job(jobId: string): string;
  /** A stream: the job's events, capped. */
  jobEvents(jobId: string): string;
  /** A sorted set of job ids, all scores 0, ordered by id (ids sort by creation time). */
  history: string;
  /** A string: the session, keyed by the SHA-256 of its cookie value (never the value itself). */
  session(idHash: string): string;
  /** A pub/sub channel: what happened (job events, catalog rebuilds), for live views on any instance. */
  activity: string;
  /**
   * Scheduled refreshes: definitions (hash id → JSON), the next fire time of each (sorted set, which
   * is also the claim: see server/schedule/store.ts) and the last run of each (hash id → JSON). One
   * hash tag, so the claim and advance scripts touch a single slot on a cluster.
   */
  schedules: string;
  scheduleDue: string;
  scheduleRuns: string;
}

export function adminKeys(prefix: string): AdminKeys {
  return {
    prefix,
    job: (id) => `${prefix}job:${id}`,
    jobEvents: (id) => `${prefix}job:${id}:events`,
    history: `${prefix}history`,
    session: (hash) => `${prefix}session:${hash}`,
    activity: `${prefix}activity`,
    schedules: `${prefix}{schedules}`,
    scheduleDue: `${prefix}{schedules}:due`,
    scheduleRuns: `${prefix}{schedules}:runs`,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
