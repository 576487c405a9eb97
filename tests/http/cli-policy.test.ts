/**
 * `cli policy export` and `cli policy apply FILE [--dry-run]` over the real tRPC route on loopback
 * HTTP: export → edit → apply round-trips the policy and the overrides; a dry run says each change
 * in words and changes nothing; an invalid file is refused in words (exit 2) before the server is
 * asked anything; a viewer's token cannot apply (exit 3), with nothing changed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyFileSchema, type PolicyFile } from '~/server/guard/overrides-schema';
import { createCaller } from '~/server/trpc/root';
import { runCli, type CliRun } from '../support/cli';
import { bootstrapAdmin } from '../support/principals';
import { closeAll, namespace, redisUrl } from '../support/redis';
import { serveTrpc, type Served } from '../support/serve-trpc';

const ADMIN_TOKEN = 'cli-policy-admin-token-0123456789abcdef';
const ns = namespace();
let r: Awaited<ReturnType<typeof load>>;
let served: Served;
let base: string;
let dir: string;
let viewerToken: string;

async function load() {
  return { trpc: await import('~/app/api/trpc/[trpc]/route'), services: (await import('~/server/app/services')).getServices() };
}


const cli = (args: string[], token = ADMIN_TOKEN): Promise<CliRun> => runCli(args, { url: base, token, timeoutMs: 50_000 });

async function fileWith(name: string, content: unknown): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** What the server has now: the policy and the overrides, as the file holds them. */
async function serverState() {
  const admin = createCaller({ services: r.services, actor: bootstrapAdmin });
  return { policy: await admin.policy.get(), overrides: (await admin.catalog.overrides()).map(({ updatedAt: _a, updatedBy: _b, ...o }) => o) };
}

beforeAll(async () => {
  Object.assign(process.env, { REDIS_URL: redisUrl(), ADMIN_TOKEN, CATALOG_PREFIX: ns.catalogPrefix, ADMIN_PREFIX: ns.adminPrefix });
  r = await load();
  await r.services.cache.seed(['groq', 'xai']);
  const admin = createCaller({ services: r.services, actor: bootstrapAdmin });
  viewerToken = (await admin.tokens.create({ name: 'policy reader', role: 'viewer' })).token;
  await admin.catalog.saveOverride({ provider: 'groq', model: 'stays', name: 'Kept as is' });
  await admin.catalog.saveOverride({ provider: 'groq', model: 'goes', hidden: true });
  await admin.catalog.saveOverride({ provider: 'xai', model: 'moves', pricing: { inputPerMTok: 1, outputPerMTok: 2 } });
  dir = await mkdtemp(path.join(tmpdir(), 'cli-policy-'));
  served = await serveTrpc(r.trpc);
  base = served.base;
});

afterAll(async () => {
  await served.close();
  r.services.adminRedis.disconnect();
  r.services.catalogRedis.disconnect();
  r.services.hub.close();
  await closeAll();
  await rm(dir, { recursive: true, force: true });
});

describe('cli policy export / apply', () => {
  it('exports one document; a dry run of an edited copy says each change and changes nothing; apply makes them; the export then matches the file', async () => {
    const exported = await cli(['policy', 'export']);
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    const file = policyFileSchema.parse(JSON.parse(exported.stdout));
    expect(file).toEqual(await serverState());
    expect(file.overrides.map((o) => `${o.provider}/${o.model}`)).toEqual(['groq/goes', 'groq/stays', 'xai/moves']);

    // Applying the export as it is changes nothing.
    expect(await cli(['policy', 'apply', await fileWith('same.json', file)])).toMatchObject({ code: 0, stdout: 'Nothing to change: the server already matches the file.\n' });

    const edited: PolicyFile = {
      policy: { ...file.policy, defaults: { ...file.policy.defaults, priceFactor: { limit: 100, action: 'alert' } }, providers: { groq: { minModels: { limit: 3, action: 'hold' } } } },
      overrides: [
        { provider: 'groq', model: 'stays', name: 'Kept as is' },
        { provider: 'xai', model: 'moves', pricing: { inputPerMTok: 3, outputPerMTok: 4 } },
        { provider: 'xai', model: 'new', contextLength: 8000 },
      ],
    };
    const editedPath = await fileWith('edited.json', edited);
    const before = await serverState();
    const dry = await cli(['policy', 'apply', editedPath, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      [
        'Would make 7 changes (dry run, nothing changed):',
        '  policy defaults.priceFactor.action: "hold" → "alert"',
        '  policy defaults.priceFactor.limit: 10 → 100',
        '  policy providers.groq.minModels.action: add "hold"',
        '  policy providers.groq.minModels.limit: add 3',
        '  override xai/moves: change (price $1 / $2 per 1M tok → price $3 / $4 per 1M tok)',
        '  override xai/new: add (context 8,000)',
        '  override groq/goes: remove (was hidden)',
      ].join('\n') + '\n',
    );
    expect(await serverState()).toEqual(before);

    const applied = await cli(['policy', 'apply', editedPath]);
    expect(applied).toMatchObject({ code: 0 });
    expect(applied.stdout).toMatch(/^Made 7 changes:/);
    expect(await serverState()).toEqual(policyFileSchema.parse(edited));
    expect(policyFileSchema.parse(JSON.parse((await cli(['policy', 'export'])).stdout))).toEqual(policyFileSchema.parse(edited));
    expect(await cli(['policy', 'apply', editedPath, '--dry-run'])).toMatchObject({ code: 0, stdout: 'Nothing to change: the server already matches the file.\n' });
  });

  it('refuses an invalid file in words (exit 2) and a viewer\'s token (exit 3), changing nothing', async () => {
    const before = await serverState();
    const bad = { ...before, policy: { ...before.policy, defaults: { ...before.policy.defaults, priceFactor: { limit: 0, action: 'hold' } } } };
    const refusals: [string, RegExp][] = [
      [await fileWith('not-json.json', '{ policy: '), /is not JSON/],
      [await fileWith('negative.json', bad), /is not a policy file: .*priceFactor.*limit.*a price factor is at least 1/],
      [await fileWith('twice.json', { ...before, overrides: [{ provider: 'groq', model: 'x', hidden: true }, { provider: 'groq', model: 'x', name: 'X' }] }), /overrides name groq\/x twice/],
      [await fileWith('price.json', { ...before, overrides: [{ provider: 'groq', model: 'x', pricing: { inputPerMTok: -1, outputPerMTok: 1 } }] }), /a price is at least 0 \$\/MTok/],
      [await fileWith('grammar.json', { ...before, overrides: [{ provider: 'Groq!', model: 'x', hidden: true }] }), /provider name must be lowercase/],
      [path.join(dir, 'missing.json'), /could not read .*ENOENT/],
    ];
    for (const [file, words] of refusals) {
      const run = await cli(['policy', 'apply', file]);
      expect(run.code, file).toBe(2);
      expect(run.stderr, file).toMatch(words);
      expect(run.stdout, file).toBe('');
    }
    const edited = await fileWith('viewer.json', { ...before, overrides: [] });
    const viewer = await cli(['policy', 'apply', edited], viewerToken);
    expect(viewer.code).toBe(3);
    expect(viewer.stderr).toMatch(/FORBIDDEN|Forbidden|role/);
    expect(await serverState()).toEqual(before);
  });
});
