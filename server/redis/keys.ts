/**
 * Every Redis key is built here. Catalog keys (what invalidation deletes) and admin keys (jobs,
 * events, history, sessions) live under separate prefixes that env.ts forbids to overlap.
 *
 * Hash tags: keys that one MULTI or Lua script must touch together share a `{tag}`, so each such
 * group lands in one slot on a Redis Cluster: a provider's keys share `{<provider>}`, the global
 * catalog keys share `{global}`, and every job key shares `{jobs}` (coalescing and leases are
 * decided in one script over the pending index, the lease set and the new job's record).
 */
import 'server-only';

import { instanceProtocolKeys, type InstanceProtocolKeys } from '~/server/lib/instance-protocol';
import { PROVIDER_NAME } from '~/server/lib/names';

export interface CatalogKeys {
  prefix: string;
  /** A hash: the provider's cached catalog; its fields and their encoding live in server/catalog/models-hash.ts. */
  providerModels(provider: string): string;
  /** A string: the provider's pricing table (JSON). */
  providerPricing(provider: string): string;
  /** Every deletable key of one provider, in a fixed order. */
  providerKeys(provider: string): string[];
  /**
   * A counter bumped by every invalidation of the provider, inside the invalidation's own batch: a
   * rebuild writes only if it is unchanged since its miss (the fence). Never deleted, never expires.
   */
  providerGeneration(provider: string): string;
  /** A short lock (random token, PX) held by the one reader rebuilding the provider (single flight). */
  providerLease(provider: string): string;
  fullCatalog: string;
  providerList: string;
  pricing: string;
  /** The fence of the full catalog, the provider list and global pricing. */
  globalGeneration: string;
  globalLease: string;
  /** True only for deletable keys this module builds; the engine refuses anything else. */
  owns(key: string): boolean;
}

export function catalogKeys(prefix: string): CatalogKeys {
  const provider = (name: string, part: string) => {
    if (!PROVIDER_NAME.test(name)) throw new Error(`not a provider name: ${JSON.stringify(name)}`);
    return `${prefix}provider:{${name}}:${part}`;
  };
  const global = (part: string) => `${prefix}{global}:${part}`;
  const globals = new Set([global('all'), global('providers'), global('pricing')]);
  const providerKey = new RegExp(`^${escapeRegExp(prefix)}provider:\\{([a-z0-9._-]+)\\}:(models|pricing)$`);
  return {
    prefix,
    providerModels: (name) => provider(name, 'models'),
    providerPricing: (name) => provider(name, 'pricing'),
    providerKeys: (name) => [provider(name, 'models'), provider(name, 'pricing')],
    providerGeneration: (name) => provider(name, 'gen'),
    providerLease: (name) => provider(name, 'lease'),
    fullCatalog: global('all'),
    providerList: global('providers'),
    pricing: global('pricing'),
    globalGeneration: global('gen'),
    globalLease: global('lease'),
    owns: (key) => globals.has(key) || PROVIDER_NAME.test(providerKey.exec(key)?.[1] ?? ''),
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
  /**
   * A hash: job id → scope and askers of every job that has not yet sent its deletions. A new
   * request covered by one of them joins it (coalescing), decided in the create script.
   */
  pendingJobs: string;
  /**
   * A hash: job id → scope and when its deletions were sent, for COALESCE_WINDOW_MS: a repeat of a
   * job that has just sent its deletions waits out the window, so a burst makes at most two jobs.
   */
  recentJobs: string;
  /** A sorted set: job id → lease expiry (ms). An expired lease means its runner died. */
  jobLeases: string;
  /** A hash: job id → the lease token of the runner that holds it (the fence of job writes). */
  jobOwners: string;
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
  /**
   * Scheduled refreshes: definitions (hash id → JSON), the next fire time of each (sorted set, which
   * is also the claim: see server/schedule/store.ts) and the last run of each (hash id → JSON). One
   * hash tag, so the claim and advance scripts touch a single slot on a cluster.
   */
  schedules: string;
  scheduleDue: string;
  scheduleRuns: string;
  /** A hash id → when the period being fired was due, while a claim is held. */
  scheduleClaims: string;
  /**
   * Webhook deliveries (server/webhooks/): a sorted set delivery id → when it is due (ms; a claim
   * moves it to the claim's end, so the score is also the claim), one hash per delivery (endpoint,
   * body, status), a list of its attempts, and per job the list of its deliveries. One hash tag:
   * the enqueue, claim and record scripts touch a single slot on a cluster.
   */
  webhookDue: string;
  webhookDelivery(deliveryId: string): string;
  webhookAttempts(deliveryId: string): string;
  webhookJobDeliveries(jobId: string): string;
  /**
   * The confirmation protocol's registry, channel and per-job ack hashes (`{instances}`). Built by
   * the protocol module, because gateways in other processes build the same names from it.
   */
  instances: InstanceProtocolKeys;
}

export function adminKeys(prefix: string): AdminKeys {
  const jobs = `${prefix}{jobs}:`;
  return {
    prefix,
    job: (id) => `${jobs}job:${id}`,
    jobEvents: (id) => `${jobs}job:${id}:events`,
    history: `${jobs}history`,
    pendingJobs: `${jobs}pending`,
    recentJobs: `${jobs}recent`,
    jobLeases: `${jobs}leases`,
    jobOwners: `${jobs}owners`,
    session: (hash) => `${prefix}session:${hash}`,
    activity: `${prefix}activity`,
    account: (id) => `${prefix}account:${id}`,
    accountNames: `${prefix}account-names`,
    bootstrapEpoch: `${prefix}bootstrap-epoch`,
    apiToken: (id) => `${prefix}api-token:${id}`,
    apiTokens: `${prefix}api-tokens`,
    audit: `${prefix}audit`,
    rateLimit: (scope, subjectHash) => `${prefix}{ratelimit}:${scope}:${subjectHash}`,
    schedules: `${prefix}{schedules}`,
    scheduleDue: `${prefix}{schedules}:due`,
    scheduleRuns: `${prefix}{schedules}:runs`,
    scheduleClaims: `${prefix}{schedules}:claims`,
    webhookDue: `${prefix}{webhooks}:due`,
    webhookDelivery: (id) => `${prefix}{webhooks}:delivery:${id}`,
    webhookAttempts: (id) => `${prefix}{webhooks}:delivery:${id}:attempts`,
    webhookJobDeliveries: (jobId) => `${prefix}{webhooks}:job:${jobId}`,
    instances: instanceProtocolKeys(prefix),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
