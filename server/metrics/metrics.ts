/**
 * The instance's Prometheus metrics (prom-client), in one registry per wiring: tests build many
 * instances in one process, and each must count only its own. Names follow Prometheus conventions:
 * one prefix, base units (`_seconds`), `_total` on counters, labels of bounded cardinality only
 * (status, outcome, configured provider names, connection): never a job id, actor or URL.
 *
 * Counters are per instance (the process that did the work): sum them across instances in PromQL,
 * e.g. `sum without (instance) (rate(catalog_invalidator_jobs_total[5m]))`.
 *
 * Call sites get plain methods (`jobFinished`, `sourceFetched`…) through their deps from the
 * composition root, so no domain imports prom-client or this module.
 */
import 'server-only';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { IgnoredReason } from '~/clients/node/instance-protocol';
import { within } from '~/server/lib/within';

/** How long a scrape waits for the catalog Redis (the unpriced gauge) before it answers without it. */
const SCRAPE_READ_MS = 1_000;

export const METRICS_PREFIX = 'catalog_invalidator_';

/** A job takes milliseconds (one batch) to minutes (a slow source during a refresh, a takeover). */
export const JOB_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** A source answers in milliseconds (bundled data) to its timeout (REFRESH_TIMEOUT_MS, up to 2 min). */
const FETCH_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** 4 for any job that fits one batch (create, started + batch, announcement, completed); more with extra batches, a pricing rebuild or a refresh. */
const ROUND_TRIP_BUCKETS = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 50, 100];
const WEBHOOK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface MetricsOptions {
  /** The default process metrics (CPU, memory, event loop, GC): once per real process, not per test wiring. */
  processMetrics?: boolean;
}

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics({ processMetrics = false }: MetricsOptions = {}) {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: METRICS_PREFIX });
  const name = (n: string) => `${METRICS_PREFIX}${n}`;
  const registers = [registry];

  const jobs = new Counter({ name: name('jobs_total'), help: 'Invalidation jobs this instance created (status="created") and finished (status="completed" or "failed")', labelNames: ['status'], registers });
  const coalesced = new Counter({ name: name('coalesced_requests_total'), help: 'Requests that joined a pending job instead of creating one', registers });
  const keysDeleted = new Counter({ name: name('keys_deleted_total'), help: 'Catalog keys deleted by the jobs this instance finished', registers });
  const keysMarkedStale = new Counter({ name: name('keys_marked_stale_total'), help: 'Catalog keys marked stale by soft invalidations this instance finished', registers });
  const duration = new Histogram({ name: name('job_duration_seconds'), help: 'From a job starting to its terminal write, by status', labelNames: ['status'], buckets: JOB_DURATION_BUCKETS, registers });
  const roundTrips = new Histogram({ name: name('job_redis_round_trips'), help: 'Redis round trips per finished job, its create round trip included', buckets: ROUND_TRIP_BUCKETS, registers });
  const takeovers = new Counter({ name: name('job_takeovers_total'), help: 'Jobs this instance took over from an instance whose lease expired', registers });
  const fetches = new Counter({ name: name('source_fetches_total'), help: "Fetches of a provider's catalog from its source, by provider and outcome (ok, error)", labelNames: ['provider', 'outcome'], registers });
  const fetchSeconds = new Histogram({ name: name('source_fetch_duration_seconds'), help: "Latency of a provider's source, by provider", labelNames: ['provider'], buckets: FETCH_BUCKETS, registers });
  const fenced = new Counter({ name: name('fenced_writes_total'), help: 'Rebuilt catalogs not stored because an invalidation ran while they were fetched, by kind (provider, full)', labelNames: ['kind'], registers });
  const reads = new Counter({
    name: name('catalog_reads_total'),
    help: 'Public catalog reads by tier (process: this instance\'s memory; redis), scope (provider, full) and result (hit, miss, stale)',
    labelNames: ['tier', 'scope', 'result'],
    registers,
  });
  const tierEntries = new Gauge({ name: name('process_tier_entries'), help: 'Copies held by the in-process tier now', registers });
  const tierBytes = new Gauge({ name: name('process_tier_bytes'), help: 'JSON size of the copies held by the in-process tier now', registers });
  const tierFlushes = new Counter({ name: name('process_tier_flushes_total'), help: 'Times the in-process tier dropped every copy, by reason (channel_lost, sequence_gap)', labelNames: ['reason'], registers });
  const ignoredMessages = new Counter({
    name: name('invalidation_messages_ignored_total'),
    help: 'Messages on the invalidation channel this instance refused and did not act on (forged or foreign), by reason (malformed, job_id, provider, ack_key, ack_ttl)',
    labelNames: ['reason'],
    registers,
  });
  const confirmations = new Counter({ name: name('job_instances_total'), help: 'Instances awaited by the jobs this instance finished, by outcome (confirmed, missing)', labelNames: ['outcome'], registers });
  const subscriptions = new Gauge({ name: name('open_subscriptions'), help: 'Live streams (job events, activity feeds) open on this instance', registers });
  const redisErrors = new Counter({ name: name('redis_errors_total'), help: 'Errors reported by a Redis connection (refused, reset, timed out…), by connection (admin, catalog)', labelNames: ['connection'], registers });
  const webhookAttempts = new Counter({ name: name('webhook_attempts_total'), help: 'Webhook delivery attempts by outcome (delivered, retry, gave_up)', labelNames: ['outcome'], registers });
  const held = new Counter({ name: name('catalog_held_total'), help: "Candidates from a source the catalog guard held for a person's yes instead of publishing, by provider", labelNames: ['provider'], registers });
  const breaches = new Counter({
    name: name('catalog_rule_breaches_total'),
    help: 'Candidates from a source that broke a catalog guard rule, by provider, rule and the rule\'s action (hold, alert); once per candidate and rule',
    labelNames: ['provider', 'rule', 'action'],
    registers,
  });
  // Read from Redis at each scrape (one batch for all providers, at most SCRAPE_READ_MS), so a gateway's own write shows too.
  let unpricedSource: (() => Promise<{ name: string; unpriced: number | null }[]>) | null = null;
  new Gauge({
    name: name('catalog_unpriced_models'),
    help: 'Models of the cached catalog without a price or at $0, by provider (read from Redis at each scrape; absent where not cached or not readable)',
    labelNames: ['provider'],
    registers,
    async collect() {
      if (!unpricedSource) return;
      this.reset();
      // Redis unreachable or slow: the gauge is left empty, the rest of the scrape still answers.
      const states = await within(unpricedSource(), SCRAPE_READ_MS).catch(() => []);
      for (const s of states) if (s.unpriced !== null) this.set({ provider: s.name }, s.unpriced);
    },
  });
  const webhookSeconds = new Histogram({ name: name('webhook_attempt_duration_seconds'), help: 'Latency of a webhook delivery attempt', buckets: WEBHOOK_BUCKETS, registers });

  for (const status of ['created', 'completed', 'failed']) jobs.inc({ status }, 0);
  for (const c of [coalesced, keysDeleted, keysMarkedStale, takeovers]) c.inc(0);
  for (const tier of ['process', 'redis']) for (const scope of ['provider', 'full']) reads.inc({ tier, scope, result: 'hit' }, 0);

  return {
    registry,
    contentType: registry.contentType,
    /** The text exposition format, for GET /api/metrics. */
    render: () => registry.metrics(),
    jobCreated(wasCoalesced: boolean) {
      if (wasCoalesced) coalesced.inc();
      else jobs.inc({ status: 'created' });
    },
    jobFinished(e: { status: 'completed' | 'failed'; durationMs: number; keysDeleted: number; keysMarkedStale?: number; roundTrips?: number }) {
      jobs.inc({ status: e.status });
      keysDeleted.inc(e.keysDeleted);
      if (e.keysMarkedStale) keysMarkedStale.inc(e.keysMarkedStale);
      duration.observe({ status: e.status }, e.durationMs / 1000);
      if (e.roundTrips !== undefined) roundTrips.observe(e.roundTrips);
    },
    jobTakenOver: () => takeovers.inc(),
    sourceFetched(provider: string, ok: boolean, seconds: number) {
      fetches.inc({ provider, outcome: ok ? 'ok' : 'error' });
      fetchSeconds.observe({ provider }, seconds);
    },
    writeFenced: (kind: 'provider' | 'full') => fenced.inc({ kind }),
    catalogRead: (scope: 'provider' | 'full', result: 'HIT' | 'MISS' | 'STALE', tier: 'process' | 'redis' = 'redis') => reads.inc({ tier, scope, result: result.toLowerCase() }),
    tierHoldings(held: { entries: number; bytes: number }) {
      tierEntries.set(held.entries);
      tierBytes.set(held.bytes);
    },
    tierFlushed: (reason: 'channel_lost' | 'sequence_gap') => tierFlushes.inc({ reason }),
    channelMessageIgnored: (reason: IgnoredReason) => ignoredMessages.inc({ reason }),
    jobInstances(confirmed: number, missing: number) {
      confirmations.inc({ outcome: 'confirmed' }, confirmed);
      confirmations.inc({ outcome: 'missing' }, missing);
    },
    subscriptionOpened: () => subscriptions.inc(),
    subscriptionClosed: () => subscriptions.dec(),
    redisError: (connection: 'admin' | 'catalog') => redisErrors.inc({ connection }),
    /** A candidate stored as held (after the fence let it through). */
    candidateHeld: (provider: string) => held.inc({ provider }),
    /** A candidate broke a rule (once per rule), whatever became of it. */
    ruleBreached: (provider: string, rule: string, action: string) => breaches.inc({ provider, rule, action }),
    /** Where the unpriced gauge reads its values at each scrape (the cache state, one batch). */
    watchUnpriced(read: () => Promise<{ name: string; unpriced: number | null }[]>) {
      unpricedSource = read;
    },
    webhookAttempt(outcome: 'delivered' | 'retry' | 'gave_up', seconds: number) {
      webhookAttempts.inc({ outcome });
      webhookSeconds.observe(seconds);
    },
  };
}
