/**
 * `cli policy export` and `cli policy apply FILE [--dry-run]`: the catalog guard's policy and every
 * per-model override as one JSON document (`policyFileSchema`), so a team keeps them in git. Apply
 * reads what the server has now, says each change in words (policy rules added, changed, removed;
 * overrides added, changed, removed) and, without --dry-run, makes them through the same tRPC
 * procedures as the panel (`policy.save`, `catalog.saveOverride`, `catalog.removeOverride`; an
 * admin's token). An invalid file is refused in words before anything is asked of the server.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { describeIssues } from '~/server/lib/validation';
import { policyFileSchema, type ModelOverride, type PolicyFile } from '~/server/guard/overrides-schema';
import type { GuardPolicy } from '~/server/guard/schema';
import { EXIT, type CatalogClient } from './client';

type FileOverride = PolicyFile['overrides'][number];

export interface PolicyCommandDeps {
  connect(): { client: CatalogClient; globals: { json?: boolean } };
  print(json: boolean | undefined, body: unknown, text: string): void;
  /** Ends the command with an error in words and this exit code. */
  fail(code: number, message: string): never;
}

/** What an override pins, without who and when (the file's form). */
const pins = ({ provider, model, pricing, contextLength, name, hidden }: ModelOverride | FileOverride): FileOverride => ({
  provider,
  model,
  ...(pricing ? { pricing: { inputPerMTok: pricing.inputPerMTok, outputPerMTok: pricing.outputPerMTok } } : {}),
  ...(contextLength !== undefined ? { contextLength } : {}),
  ...(name !== undefined ? { name } : {}),
  ...(hidden ? { hidden } : {}),
});

const ref = (o: { provider: string; model: string }) => `${o.provider}/${o.model}`;

/** One override's pins in words: "price $1 / $2 per 1M tok, context 8,000, name “X”, hidden". */
export function pinsInWords(o: FileOverride): string {
  const parts: string[] = [];
  if (o.pricing) parts.push(`price $${o.pricing.inputPerMTok} / $${o.pricing.outputPerMTok} per 1M tok`);
  if (o.contextLength !== undefined) parts.push(`context ${o.contextLength.toLocaleString('en-US')}`);
  if (o.name !== undefined) parts.push(`name “${o.name}”`);
  if (o.hidden) parts.push('hidden');
  return parts.join(', ');
}

/** Every leaf of a JSON value, by its dotted path. */
function leaves(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  } else out.set(path, JSON.stringify(value));
  return out;
}

export interface ApplyPlan {
  /** Each change in words, in the order they would be made. */
  lines: string[];
  policyChanged: boolean;
  save: FileOverride[];
  remove: { provider: string; model: string }[];
}

/** Pure: what applying `next` over what the server has (`policy`, `overrides`) would change. */
export function planApply(current: { policy: GuardPolicy; overrides: readonly ModelOverride[] }, next: PolicyFile): ApplyPlan {
  const lines: string[] = [];
  const before = leaves(current.policy);
  const after = leaves(next.policy);
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const was = before.get(path);
    const now = after.get(path);
    if (was === now) continue;
    if (was === undefined) lines.push(`policy ${path}: add ${now}`);
    else if (now === undefined) lines.push(`policy ${path}: remove (was ${was})`);
    else lines.push(`policy ${path}: ${was} → ${now}`);
  }
  const policyChanged = lines.length > 0;

  const had = new Map(current.overrides.map((o) => [ref(o), pins(o)]));
  const wanted = new Map(next.overrides.map((o) => [ref(o), pins(o)]));
  const save: FileOverride[] = [];
  for (const [key, o] of wanted) {
    const old = had.get(key);
    if (!old) lines.push(`override ${key}: add (${pinsInWords(o)})`);
    else if (JSON.stringify(old) !== JSON.stringify(o)) lines.push(`override ${key}: change (${pinsInWords(old)} → ${pinsInWords(o)})`);
    else continue;
    save.push(o);
  }
  const remove = [...had.entries()].filter(([key]) => !wanted.has(key)).map(([key, o]) => {
    lines.push(`override ${key}: remove (was ${pinsInWords(o)})`);
    return { provider: o.provider, model: o.model };
  });
  return { lines, policyChanged, save, remove };
}

/** The file, parsed and validated; a reason in words otherwise. */
export async function readPolicyFile(path: string): Promise<{ file: PolicyFile } | { problem: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { problem: `could not read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { problem: `${path} is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const parsed = policyFileSchema.safeParse(json);
  if (!parsed.success) return { problem: `${path} is not a policy file: ${[...new Set(describeIssues(parsed.error.issues))].join('; ')}` };
  const seen = new Set<string>();
  for (const o of parsed.data.overrides) {
    if (seen.has(ref(o))) return { problem: `${path} is not a policy file: overrides name ${ref(o)} twice` };
    seen.add(ref(o));
  }
  return { file: parsed.data };
}

export function registerPolicyCommands(program: Command, { connect, print, fail }: PolicyCommandDeps): void {
  const policy = program.command('policy').description("the catalog guard's policy and the per-model overrides, as one JSON file");

  policy
    .command('export')
    .description('print the policy and every override as one JSON document (for `policy apply`)')
    .action(async () => {
      const { client } = connect();
      const [current, overrides] = await Promise.all([client.policy.get.query(), client.catalog.overrides.query()]);
      const file: PolicyFile = { policy: current, overrides: overrides.map(pins) };
      process.stdout.write(`${JSON.stringify(file, null, 2)}\n`);
    });

  policy
    .command('apply')
    .description('make the server match FILE: the policy saved whole, overrides added, changed and removed (an admin token)')
    .argument('<file>', 'a JSON file as `policy export` prints it')
    .option('--dry-run', 'print what would change, change nothing')
    .action(async (path: string, o: { dryRun?: boolean }) => {
      const read = await readPolicyFile(path);
      if ('problem' in read) return fail(EXIT.usage, read.problem);
      const { client, globals } = connect();
      const [current, overrides] = await Promise.all([client.policy.get.query(), client.catalog.overrides.query()]);
      const plan = planApply({ policy: current, overrides }, read.file);
      const body = { dryRun: Boolean(o.dryRun), changes: plan.lines };
      if (!plan.lines.length) return print(globals.json, body, 'Nothing to change: the server already matches the file.');
      const list = plan.lines.map((l) => `  ${l}`).join('\n');
      if (o.dryRun) return print(globals.json, body, `Would make ${plan.lines.length} change${plan.lines.length === 1 ? '' : 's'} (dry run, nothing changed):\n${list}`);
      if (plan.policyChanged) await client.policy.save.mutate(read.file.policy);
      for (const override of plan.save) await client.catalog.saveOverride.mutate(override);
      for (const gone of plan.remove) await client.catalog.removeOverride.mutate(gone);
      print(globals.json, body, `Made ${plan.lines.length} change${plan.lines.length === 1 ? '' : 's'}:\n${list}`);
    });
}
