/**
 * `cli catalog held|approve|reject <provider>` (issue 23 item 6) over the real tRPC route on
 * loopback HTTP, against real Redis and a loopback source that changes its answers: the hold in
 * words, approve publishes, reject discards, and the refusals in words (nothing held, a viewer's
 * token, a candidate replaced, an approval overtaken by an invalidation), each changing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelSource, type ModelSource, type SourceModel } from '~/scripts/lib/model-source';
import { createCaller } from '~/server/trpc/root';
import { runCli, type CliRun } from '../support/cli';
import { bootstrapAdmin } from '../support/principals';
import { closeAll, namespace, redisUrl } from '../support/redis';
import { serveTrpc, type Served } from '../support/serve-trpc';

const ADMIN_TOKEN = 'cli-catalog-admin-token-0123456789abcdef';
const P = 'gx';
const ns = namespace();
let source: ModelSource;
let r: Awaited<ReturnType<typeof load>>;
let served: Served;
let base: string;
let viewerToken: string;

async function load() {
  return {
    trpc: await import('~/app/api/trpc/[trpc]/route'),
    services: (await import('~/server/app/services')).getServices(),
  };
}


const cli = (args: string[], token = ADMIN_TOKEN): Promise<CliRun> => runCli(['catalog', ...args], { url: base, token, timeoutMs: 50_000 });

/** Ten models at 2.50 / 10.00 $/MTok (OpenRouter-style per-token prices), `factor` times that. */
const models = (factor = 1): SourceModel[] =>
  Array.from({ length: 10 }, (_, i) => ({ id: `model-${i}`, context_length: 128_000, pricing: { prompt: String(0.0000025 * factor), completion: String(0.00001 * factor) } }));

const actor = { kind: 'token' as const, label: 't' };
async function job(mode: 'soft' | 'delete', refresh: boolean) {
  const { jobId } = await r.services.invalidation.start({ providers: [P], mode, refresh, cascade: false }, actor);
  for await (const _event of r.services.invalidation.events(jobId, null)) {
    // The job's stream ends when it does.
  }
}

/** Holds a candidate at `factor` (a soft refresh from the source); returns its id. */
async function hold(factor: number): Promise<string> {
  source.set(P, { models: models(factor) });
  await job('soft', true);
  const [held] = await r.services.review.list(P);
  if (!held) throw new Error('nothing held');
  return held.id;
}

const inputPrice = async () => (await r.services.cache.getProvider(P)).catalog.models[0]?.pricing?.inputPerMTok;

beforeAll(async () => {
  source = await startModelSource();
  source.set(P, { models: models() });
  Object.assign(process.env, {
    REDIS_URL: redisUrl(),
    ADMIN_TOKEN,
    CATALOG_PREFIX: ns.catalogPrefix,
    ADMIN_PREFIX: ns.adminPrefix,
    CATALOG_GUARD: 'on',
    LOG_LEVEL: 'silent',
    PROVIDER_SOURCES: source.config([P]),
  });
  r = await load();
  await r.services.cache.seed([P]);
  viewerToken = (await createCaller({ services: r.services, actor: bootstrapAdmin }).tokens.create({ name: 'dashboards', role: 'viewer' })).token;
  served = await serveTrpc(r.trpc);
  base = served.base;
});

afterAll(async () => {
  await served.close();
  r.services.adminRedis.disconnect();
  r.services.catalogRedis.disconnect();
  r.services.hub.close();
  await source.close();
  await closeAll();
  delete process.env.CATALOG_GUARD;
  delete process.env.PROVIDER_SOURCES;
  delete process.env.LOG_LEVEL;
});

describe('cli catalog', () => {
  it('says nothing is held, and refuses to approve or reject nothing (exit 2)', async () => {
    expect(await cli(['held'])).toMatchObject({ code: 0, stdout: 'Nothing is held.\n' });
    const approve = await cli(['approve', P]);
    expect(approve.code).toBe(2);
    expect(approve.stderr).toContain(`nothing is held for ${P}: its catalog is published as fetched`);
    expect((await cli(['reject', P])).code).toBe(2);
  });

  it('lists a hold in words; a viewer sees it and cannot approve it; reject discards it', async () => {
    const id = await hold(1000);
    const held = await cli(['held', P]);
    expect(held.code).toBe(0);
    expect(held.stdout).toContain(`candidate ${id}: 10 models against 10 published`);
    expect(held.stdout).toContain('model-0 input price 2.50 → 2,500.00 $/MTok, ×1,000 (limit ×10)');
    expect(held.stdout).toContain('model-0 input price: 2.50 $/MTok → 2,500.00 $/MTok');
    const json = await runCli(['--json', 'catalog', 'held'], { url: base, token: viewerToken, timeoutMs: 50_000 });
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ provider: P, id, candidateModels: 10 })]);

    const refused = await cli(['approve', P], viewerToken);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/Forbidden: only an operator or .* may do this; you are signed in as a viewer/);
    expect(await r.services.review.list(P)).toHaveLength(1);

    const rejected = await cli(['reject', P, '--id', id]);
    expect(rejected).toMatchObject({ code: 0 });
    expect(rejected.stdout).toContain(`Rejected ${P}: candidate ${id} discarded`);
    expect(await r.services.review.list(P)).toEqual([]);
    expect(await inputPrice()).toBe(2.5);
  });

  it('refuses a candidate a newer fetch replaced, and an approval an invalidation overtook, in words', async () => {
    const first = await hold(1000);
    const second = await hold(500);
    const replaced = await cli(['approve', P, '--id', first]);
    expect(replaced.code).toBe(2);
    expect(replaced.stderr).toContain(`candidate ${first} of ${P} is no longer held: a newer fetch replaced it with ${second}`);

    await job('delete', false);
    const overtaken = await cli(['approve', P]);
    expect(overtaken.code).toBe(2);
    expect(overtaken.stderr).toContain(`An invalidation of ${P} ran after this candidate was fetched, so it was not published`);
    expect(await inputPrice()).toBe(2.5);
  });

  it('approve publishes the candidate held now', async () => {
    const id = await hold(1000);
    const approved = await cli(['approve', P]);
    expect(approved).toMatchObject({ code: 0 });
    expect(approved.stdout).toContain(`Approved ${P}: candidate ${id} published (10 models)`);
    expect(await r.services.review.list(P)).toEqual([]);
    expect(await inputPrice()).toBe(2500);
  });
});
