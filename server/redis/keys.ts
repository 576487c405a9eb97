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
  /** A hash: one account (username, role, password hash, session epoch, flags). */
  account(accountId: string): string;
  /** A hash: username → account id (usernames are unique). */
  accountNames: string;
  /** A string: the bootstrap admin's session epoch ("sign out everywhere" bumps it). */
  bootstrapEpoch: string;
  /** A hash: one API token (name, role, SHA-256 of the secret, creator, times). */
  apiToken(tokenId: string): string;
  /** A sorted set of token ids by creation time. */
  apiTokens: string;
  /** A stream: the audit trail, append-only, trimmed by age and length. */
  audit: string;
  /**
   * A rate-limit cell (GCRA: the theoretical arrival time). `subject` is hashed, so any input makes
   * a bounded key; the `{ratelimit}` hash tag keeps every cell one script checks together in one slot.
   */
  rateLimit(scope: string, subjectHash: string): string;
}

export function adminKeys(prefix: string): AdminKeys {
  return {
    prefix,
    job: (id) => `${prefix}job:${id}`,
    jobEvents: (id) => `${prefix}job:${id}:events`,
    history: `${prefix}history`,
    session: (hash) => `${prefix}session:${hash}`,
    activity: `${prefix}activity`,
    account: (id) => `${prefix}account:${id}`,
    accountNames: `${prefix}account-names`,
    bootstrapEpoch: `${prefix}bootstrap-epoch`,
    apiToken: (id) => `${prefix}api-token:${id}`,
    apiTokens: `${prefix}api-tokens`,
    audit: `${prefix}audit`,
    rateLimit: (scope, subjectHash) => `${prefix}{ratelimit}:${scope}:${subjectHash}`,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
