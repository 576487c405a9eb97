/**
 * `catalog held [provider]`, `catalog approve <provider>`, `catalog reject <provider>`: the catalog
 * guard's holds from a terminal, through the same tRPC procedures as the review page
 * (`catalog.held`, `catalog.approve`, `catalog.reject`; approving and rejecting need an operator or
 * admin token within its providers, audited like the page's).
 *
 * An approval names the candidate it saw: `--id` (as `held` prints it), or the one held when the
 * command asks. If a newer fetch replaced it or an invalidation ran since it was fetched, the server
 * refuses in words (CONFLICT, exit 2) and nothing is published.
 */
import type { Command } from 'commander';
import type { HeldView } from '~/server/guard/schema';
import { EXIT, type CatalogClient } from './client';

export interface CatalogCommandDeps {
  connect(): { client: CatalogClient; globals: { json?: boolean } };
  print(json: boolean | undefined, body: unknown, text: string): void;
  /** Ends the command with this exit code and message (stderr; a JSON error under --json). */
  fail(code: number, message: string): never;
}

const when = (ms: number) => new Date(ms).toISOString();

/** One held candidate in words: why it is held, then each model's fields before → after. */
export function describeHeld(h: HeldView): string {
  const published = h.publishedModels === null ? 'nothing published before' : `${h.publishedModels} published${h.publishedAt ? ` (since ${when(h.publishedAt)})` : ''}`;
  const lines = [`${h.provider}: held since ${when(h.heldAt)}, candidate ${h.id}: ${h.candidateModels} models against ${published}`, '  breaks:'];
  for (const b of h.breaches) lines.push(`    - ${b}`);
  if (h.changes.length) lines.push('  changes:');
  for (const c of h.changes) {
    if (c.kind === 'changed') for (const f of c.fields) lines.push(`    ${c.id} ${f.field}: ${f.before} → ${f.after}`);
    else lines.push(`    ${c.id} ${c.kind}`);
  }
  return lines.join('\n');
}

export function registerCatalogCommands(program: Command, deps: CatalogCommandDeps): void {
  const catalog = program.command('catalog').description("the catalog guard's held candidates: list, approve, reject");

  /** The candidate of `provider` to act on: the one named by --id, else the one held now. */
  async function candidate(client: CatalogClient, provider: string, id: string | undefined): Promise<HeldView> {
    const [held] = await client.catalog.held.query({ provider });
    if (!held) return deps.fail(EXIT.usage, `nothing is held for ${provider}: its catalog is published as fetched`);
    if (id && held.id !== id) {
      return deps.fail(EXIT.usage, `candidate ${id} of ${provider} is no longer held: a newer fetch replaced it with ${held.id}; review that one ("catalog held ${provider}")`);
    }
    return held;
  }

  catalog
    .command('held')
    .description('every held candidate (or one provider\'s): the rules it broke and each change, before → after')
    .argument('[provider]')
    .action(async (provider: string | undefined) => {
      const { client, globals } = deps.connect();
      const held = await client.catalog.held.query(provider ? { provider } : undefined);
      deps.print(globals.json, held, held.length ? held.map(describeHeld).join('\n\n') : provider ? `Nothing is held for ${provider}.` : 'Nothing is held.');
    });

  catalog
    .command('approve')
    .description('publish the held candidate of a provider (through the fence)')
    .argument('<provider>')
    .option('--id <id>', 'the candidate you reviewed (as "catalog held" prints it); refused if another replaced it')
    .action(async (provider: string, o: { id?: string }) => {
      const { client, globals } = deps.connect();
      const held = await candidate(client, provider, o.id);
      await client.catalog.approve.mutate({ provider, id: held.id });
      deps.print(globals.json, { provider, id: held.id, status: 'approved', models: held.candidateModels }, `Approved ${provider}: candidate ${held.id} published (${held.candidateModels} models)`);
    });

  catalog
    .command('reject')
    .description('discard the held candidate of a provider; readers keep the last published catalog')
    .argument('<provider>')
    .option('--id <id>', 'the candidate you reviewed (as "catalog held" prints it); refused if another replaced it')
    .action(async (provider: string, o: { id?: string }) => {
      const { client, globals } = deps.connect();
      const held = await candidate(client, provider, o.id);
      await client.catalog.reject.mutate({ provider, id: held.id });
      deps.print(globals.json, { provider, id: held.id, status: 'rejected' }, `Rejected ${provider}: candidate ${held.id} discarded; readers keep the last published catalog`);
    });
}
