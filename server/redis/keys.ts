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

import { defaultTemplates, hashTag, matcher, overlapProblems, render, renderer, scanPattern, type KeyTemplates } from '~/server/layout/key-templates';
import { instanceProtocolKeys, type InstanceProtocolKeys } from '~/clients/node/instance-protocol';
import { PROVIDER_NAME } from '~/server/lib/names';

export interface CatalogKeys {
  prefix: string;
  /**
   * `native`: this project's layout and value format (the default). `custom`: CATALOG_KEYS, a
   * gateway's own layout, whose values may be in any format (server/catalog/cache-state.ts).
   */
  layout: 'native' | 'custom';
  /** A hash: the provider's cached catalog; its fields and their encoding live in server/catalog/models-hash.ts. */
  providerModels(provider: string): string;
  /** A string: the provider's pricing table (JSON). */
  providerPricing(provider: string): string;
  /** Every deletable key of one provider (its per-model keys aside), in a fixed order. */
  providerKeys(provider: string): string[];
  /**
   * A counter bumped by every invalidation of the provider, inside the invalidation's own batch: a
   * rebuild writes only if it is unchanged since its miss (the fence). Never deleted, never expires.
   * Always in the models key's slot (its hash tag, or the whole models key as the tag).
   */
  providerGeneration(provider: string): string;
  /** A short lock (random token, PX) held by the one reader rebuilding the provider (single flight). */
  providerLease(provider: string): string;
  /**
   * A hash in the models hash's format (models-hash.ts): the provider's last published catalog, kept
   * apart from the cache keys (never deleted, never expires) so a delete or a TTL does not lose the
   * catalog guard's baseline (server/guard/). In the models key's slot, like the fence.
   */
  providerPublished(provider: string): string;
  /** A hash (server/catalog/held.ts): the candidate the catalog guard holds for a person's yes, with its breaches. Same slot. */
  providerHeld(provider: string): string;
  /**
   * A stream per provider and kind of change (server/catalog/history/log.ts): the catalog's own
   * history, one entry per model changed by a publication, trimmed by age and expiring
   * CATALOG_HISTORY_DAYS after its last entry. Same slot, so a publication and its entries are one script.
   */
  providerChanges(provider: string, kind: 'added' | 'removed' | 'price' | 'other'): string;
  fullCatalog: string;
  providerList: string;
  pricing: string;
  /** The fence of the full catalog, the provider list and global pricing. */
  globalGeneration: string;
  globalLease: string;
  /** Per-model keys (CATALOG_KEYS modelKey), when the layout has them. */
  modelKey?: (provider: string, model: string) => string;
  /** A set of a provider's model ids (CATALOG_KEYS modelIndex), when the layout has one. */
  modelIndex?: (provider: string) => string;
  /**
   * The SCAN MATCH pattern of one provider's per-model keys (its own prefix only), or without a
   * provider of everyone's (filter with `modelKeyOwner`), when the layout has them.
   */
  modelScanPattern?: (provider?: string) => string;
  /** The provider a per-model key was built for, or null for anything else (a lookalike). */
  modelKeyOwner(key: string): string | null;
  /** True only for a per-model key of exactly this provider (never another's, never a lookalike). */
  isModelKeyOf(provider: string, key: string): boolean;
  /** True only for deletable keys this module builds; the engine refuses anything else. */
  owns(key: string): boolean;
}

export interface CatalogKeyOptions {
  /** CATALOG_KEYS, parsed by env.ts; absent: the native layout under the prefix. */
  templates?: KeyTemplates;
  /**
   * The configured provider names: templates that could build one key for two of them (or for
   * two purposes) are refused here, all named (the overlap depends on the names).
   */
  providers?: readonly string[];
}

/** Model ids come from Redis (an index set) or a cached list: bounded, printable, one line. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const MODEL_ID = /^[^\x00-\x1f\x7f]{1,512}$/;

export function catalogKeys(prefix: string, options: CatalogKeyOptions = {}): CatalogKeys {
  const checkName = (name: string) => {
    if (!PROVIDER_NAME.test(name)) throw new Error(`not a provider name: ${JSON.stringify(name)}`);
    return name;
  };
  const native = !options.templates;
  const t = options.templates ?? defaultTemplates(prefix);
  if (options.templates && options.providers) {
    const problems = overlapProblems(options.templates, options.providers);
    if (problems.length) throw new Error(`CATALOG_KEYS: ${problems.join('; ')}`);
  }
  const providerModels = (name: string) => render(t.providerModels, { provider: checkName(name) });
  const providerPricing = (name: string) => render(t.providerPricing, { provider: checkName(name) });
  const modelIndex = t.modelIndex ? (name: string) => render(t.modelIndex as string, { provider: checkName(name) }) : undefined;
  // Our own keys beside a gateway's layout live under our prefix, tagged with the slot of the key they fence.
  const slotTag = (key: string) => hashTag(key) ?? key;
  const own = (key: string, part: string) => `${prefix}{${slotTag(key)}}:${part}`;
  const global = (part: string) => (native ? `${prefix}{global}:${part}` : own(t.fullCatalog, part));
  const globals = new Set([t.fullCatalog, t.providerList, t.globalPricing]);
  const deletable = [t.providerModels, t.providerPricing, ...(t.modelIndex ? [t.modelIndex] : [])].map(matcher);
  const modelMatch = t.modelKey ? matcher(t.modelKey) : null;
  const renderModelKey = t.modelKey ? renderer(t.modelKey) : null;
  const modelKey = renderModelKey
    ? (name: string, model: string) => {
        if (!MODEL_ID.test(model)) throw new Error(`not a model id: ${JSON.stringify(model.slice(0, 80))}`);
        return renderModelKey(checkName(name), model);
      }
    : undefined;
  const modelKeyOwner = (key: string) => {
    const m = modelMatch?.(key);
    return m && MODEL_ID.test(m.model ?? '') ? (m.provider ?? null) : null;
  };
  return {
    prefix,
    layout: native ? 'native' : 'custom',
    providerModels,
    providerPricing,
    providerKeys: (name) => [providerModels(name), providerPricing(name), ...(modelIndex ? [modelIndex(name)] : [])],
    providerGeneration: (name) => (native ? `${prefix}provider:{${checkName(name)}}:gen` : own(providerModels(name), 'gen')),
    providerLease: (name) => (native ? `${prefix}provider:{${checkName(name)}}:lease` : own(providerModels(name), 'lease')),
    providerPublished: (name) => (native ? `${prefix}provider:{${checkName(name)}}:published` : own(providerModels(name), 'published')),
    providerHeld: (name) => (native ? `${prefix}provider:{${checkName(name)}}:held` : own(providerModels(name), 'held')),
    providerChanges: (name, kind) => (native ? `${prefix}provider:{${checkName(name)}}:changes:${kind}` : own(providerModels(name), `changes:${kind}`)),
    fullCatalog: t.fullCatalog,
    providerList: t.providerList,
    pricing: t.globalPricing,
    globalGeneration: global('gen'),
    globalLease: global('lease'),
    modelKey,
    modelIndex,
    modelScanPattern: t.modelKey ? (name) => scanPattern(t.modelKey as string, name === undefined ? undefined : checkName(name)) : undefined,
    modelKeyOwner,
    isModelKeyOf: (name, key) => modelKeyOwner(key) === name,
    owns: (key) => globals.has(key) || deletable.some((match) => match(key) !== null) || modelKeyOwner(key) !== null,
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
  /**
   * A sorted set: job id → when it finished (ms), written by the terminal write's script and trimmed
   * there to what the webhook sweep reads (the jobs that ended within its window), so the sweep finds
   * jobs by when they ended, not among the newest created.
   */
  finishedJobs: string;
  /** A sorted set: job id → lease expiry (ms). An expired lease means its runner died. */
  jobLeases: string;
  /** A hash: job id → the lease token of the runner that holds it (the fence of job writes). */
  jobOwners: string;
  /** A string (JSON, server/guard/policy-store.ts): the catalog guard's policy, its defaults and per-provider rules. */
  guardPolicy: string;
  /** A hash (server/guard/overrides-schema.ts `overrideCodec`): `<provider>/<model>` → the model's override, JSON. */
  guardOverrides: string;
  /** A string: the session, keyed by the SHA-256 of its cookie value (never the value itself). */
  session(idHash: string): string;
  /** A pub/sub channel: what happened (job events, catalog rebuilds), for live views on any instance. */
  activity: string;
  /** A hash: one account (username, role, password hash, session epoch, flags). */
  account(accountId: string): string;
  /** A hash: username → account id (usernames are unique). */
  accountNames: string;
  /** A hash: `<issuer> <subject>` → account id of a single sign-on account (one per person at one identity provider). */
  ssoSubjects: string;
  /** A string: one single sign-on in progress (state, nonce, PKCE verifier; JSON, minutes of TTL), keyed by the random id in its cookie. */
  oidcPending(id: string): string;
  /** A string: the bootstrap admin's session epoch ("sign out everywhere" bumps it). */
  bootstrapEpoch: string;
  /** A hash: one API token (name, role, SHA-256 of the secret, creator, times). */
  apiToken(tokenId: string): string;
  /** A sorted set of token ids by creation time. */
  apiTokens: string;
  /**
   * Streams: the audit trail, append-only, trimmed by age and length, each capped on its own
   * (server/audit/schema.ts `storeOf` decides which): `audit` holds admins' actions and nothing any
   * other caller can write, `auditOthers` what signed-in callers did or were refused and every
   * checked sign-in, `auditAnonymous` refusals nobody signed in caused.
   */
  audit: string;
  auditOthers: string;
  auditAnonymous: string;
  /**
   * A rate-limit cell (GCRA: the theoretical arrival time). `subject` is hashed, so any input makes
   * a bounded key; the `{ratelimit}` hash tag keeps every cell one script checks together in one slot.
   */
  rateLimit(scope: string, subjectHash: string): string;
  /**
   * A rate-limit cell of the invalidation limits, in the `{jobs}` slot: the create script decides the
   * limit, the coalescing and the new job in one script, so its cells must share the jobs' slot.
   */
  jobRateLimit(scope: string, subjectHash: string): string;
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
    finishedJobs: `${jobs}finished`,
    jobRateLimit: (scope, subjectHash) => `${jobs}ratelimit:${scope}:${subjectHash}`,
    jobLeases: `${jobs}leases`,
    jobOwners: `${jobs}owners`,
    guardPolicy: `${prefix}guard:policy`,
    guardOverrides: `${prefix}guard:overrides`,
    session: (hash) => `${prefix}session:${hash}`,
    activity: `${prefix}activity`,
    account: (id) => `${prefix}account:${id}`,
    accountNames: `${prefix}account-names`,
    ssoSubjects: `${prefix}sso-subjects`,
    oidcPending: (id) => `${prefix}oidc-pending:${id}`,
    bootstrapEpoch: `${prefix}bootstrap-epoch`,
    apiToken: (id) => `${prefix}api-token:${id}`,
    apiTokens: `${prefix}api-tokens`,
    audit: `${prefix}audit`,
    auditOthers: `${prefix}audit-others`,
    auditAnonymous: `${prefix}audit-anonymous`,
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
