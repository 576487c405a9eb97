/**
 * The metrics an instance exposes, read back in the Prometheus text format after real work on a
 * real Redis: jobs by status, keys, durations, round trips, coalescing, takeovers, source fetches,
 * fenced writes, subscriptions; and the naming rules (prefix, `_total` on counters, base units, no
 * job ids in labels).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createMetrics } from '~/server/metrics/metrics';
import { closeAll, harness } from '../../support/redis';

afterAll(closeAll);

/** The value of one sample line, e.g. `catalog_invalidator_jobs_total{status="completed"}`. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no sample ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
}

const actor = { kind: 'token' as const, label: 'metrics test' };

describe('metrics', () => {
  it('count jobs, keys, durations, round trips, coalesced requests and source fetches', async () => {
    const h = harness({ env: { COALESCE_WINDOW_MS: '0' } });
    await h.cache.seed(['groq', 'xai']);
    const first = await h.invalidation.start({ providers: ['groq', 'xai'] }, actor);
    await h.runner.drain();
    const text0 = await h.metrics.render();
    expect(sample(text0, 'catalog_invalidator_jobs_total{status="created"}')).toBe(1);
    expect(sample(text0, 'catalog_invalidator_jobs_total{status="completed"}')).toBe(1);
    expect(sample(text0, 'catalog_invalidator_jobs_total{status="failed"}')).toBe(0);
    expect(sample(text0, 'catalog_invalidator_keys_deleted_total')).toBe((await h.invalidation.get(first.jobId)).result?.keysDeleted);
    expect(sample(text0, 'catalog_invalidator_job_duration_seconds_count{status="completed"}')).toBe(1);
    // 3 round trips for a job that fits one batch (docs/how-it-works.md "Round trips": create, started + batch + who is live, completed; the announcement rides ahead of it).
    expect(sample(text0, 'catalog_invalidator_job_redis_round_trips_sum')).toBe(3);
    expect(sample(text0, 'catalog_invalidator_source_fetches_total{provider="groq",outcome="ok"}')).toBe(1);
    expect(sample(text0, 'catalog_invalidator_source_fetch_duration_seconds_count{provider="xai"}')).toBe(1);

    // Identical concurrent requests: those covered by the pending job join it (coalesced).
    const joined = await Promise.all([h.invalidation.start({ providers: ['groq'] }, actor), h.invalidation.start({ providers: ['groq'] }, actor)]);
    await h.runner.drain();
    const text = await h.metrics.render();
    expect(joined.filter((j) => j.coalesced)).toHaveLength(sample(text, 'catalog_invalidator_coalesced_requests_total'));
    expect(sample(text, 'catalog_invalidator_jobs_total{status="completed"}')).toBe(1 + joined.filter((j) => !j.coalesced).length);
    await h.shutdown(0);
  });

  it('count a refresh job’s round trips and a fenced write', async () => {
    const h = harness();
    await h.cache.seed(['groq']);
    await h.invalidation.start({ providers: ['groq'], mode: 'soft', refresh: true }, actor);
    await h.runner.drain();
    // A rebuild whose generation moved on is refused by the fence.
    const catalog = await h.cache.loadFromSource('groq');
    expect(await h.cache.store(catalog, '0')).toBe(false);
    const text = await h.metrics.render();
    // create, started + batch + who is live, snapshot, claim, write, refresh progress, completed (the announcement rides beside the claim).
    expect(sample(text, 'catalog_invalidator_job_redis_round_trips_sum')).toBe(7);
    expect(sample(text, 'catalog_invalidator_fenced_writes_total{kind="provider"}')).toBe(1);
    await h.shutdown(0);
  });

  it('follow open subscriptions and count takeovers', async () => {
    const h = harness();
    const slot = h.streams.acquire('someone', 'someone');
    expect(sample(await h.metrics.render(), 'catalog_invalidator_open_subscriptions')).toBe(1);
    slot.release();
    slot.release();
    expect(sample(await h.metrics.render(), 'catalog_invalidator_open_subscriptions')).toBe(0);
    expect(sample(await h.metrics.render(), 'catalog_invalidator_job_takeovers_total')).toBe(0);
    await h.shutdown(0);
  });

  it('follow Prometheus naming: one prefix, _total on counters, base units, bounded labels', async () => {
    const metrics = createMetrics({ processMetrics: true });
    metrics.catalogRead('provider', 'HIT');
    const all = await metrics.registry.getMetricsAsJSON();
    expect(all.length).toBeGreaterThan(20);
    for (const m of all) {
      expect(m.name).toMatch(/^catalog_invalidator_[a-z0-9_]+$/);
      if (String(m.type) === 'counter') expect(m.name).toMatch(/_total$/);
      expect(m.name).not.toMatch(/_(ms|milliseconds|minutes)(_|$)/);
      for (const v of m.values) for (const label of Object.keys(v.labels)) expect(['status', 'provider', 'outcome', 'kind', 'tier', 'scope', 'result', 'connection', 'le', 'quantile', 'space', 'version', 'major', 'minor', 'patch', 'type']).toContain(label);
    }
    // The process metrics are there too.
    expect(all.map((m) => m.name)).toEqual(expect.arrayContaining(['catalog_invalidator_process_cpu_seconds_total', 'catalog_invalidator_nodejs_eventloop_lag_seconds']));
    expect(await metrics.render()).toContain('catalog_invalidator_catalog_reads_total{tier="redis",scope="provider",result="hit"} 1');
  });
});
