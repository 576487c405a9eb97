/**
 * docs/configuration.md is generated from server/env.ts (`npm run docs:config`): it must be exactly
 * what the generator writes today, and name every variable the app, `npm start` and the CLI read.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outsideSchema, renderConfiguration } from '~/scripts/lib/config-doc';
import { envAliases, envVariables } from '~/server/env';

const root = path.resolve(__dirname, '../..');
const page = readFileSync(path.join(root, 'docs/configuration.md'), 'utf8');

/** What the app, `npm start` and the CLI run; test-only scripts (CHROMIUM_PATH, the bench's probes) are not configuration. */
const READERS = ['server', 'app', 'components', 'instrumentation.ts', 'proxy.ts', 'next.config.js', 'scripts/start.ts', 'scripts/start.sh', 'scripts/seed.ts', 'scripts/cli.ts', 'scripts/cli', 'scripts/lib/seed.ts', 'scripts/lib/files.ts'];
/** Set by Node and Next themselves, never by an operator. */
const FRAMEWORK = new Set(['NODE_ENV', 'NEXT_RUNTIME']);

function files(entry: string): string[] {
  const full = path.join(root, entry);
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full).flatMap((name) => files(path.join(entry, name)));
}

/** `process.env.X`, `process.env['X']`, commander's `.env('X')` and shell `${X:-…}`. */
function variablesRead(): Set<string> {
  const found = new Set<string>();
  const patterns = [/process\.env\.([A-Za-z_][A-Za-z0-9_]*)/g, /process\.env\[['"]([A-Za-z_][A-Za-z0-9_]*)['"]\]/g, /\.env\(['"]([A-Za-z_][A-Za-z0-9_]*)['"]\)/g, /\$\{([A-Z_][A-Z0-9_]*):-/g];
  for (const file of READERS.flatMap(files)) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) if (match[1]) found.add(match[1]);
  }
  return found;
}

const documented = (name: string) => page.includes(`| \`${name}\``) || page.includes(`(old name: \`${name}\`)`);

describe('docs/configuration.md', () => {
  it('is what `npm run docs:config` writes from server/env.ts today', () => {
    // On a failure: run `npm run docs:config` and commit docs/configuration.md.
    expect(page).toBe(renderConfiguration());
  });

  it('names every variable of the schema and every old name still accepted', () => {
    const names = [...Object.keys(envVariables.shape), ...Object.values(envAliases)];
    expect(names.length).toBeGreaterThan(60);
    expect(names.filter((name) => !documented(name))).toEqual([]);
  });

  it('names every variable the app, `npm start` and the CLI read', () => {
    const read = [...variablesRead()].filter((name) => !FRAMEWORK.has(name));
    // The scan works: it finds variables read in each way.
    expect(read).toEqual(expect.arrayContaining(['HOST', 'PORT', 'REDIS_URL', 'CATALOG_URL', 'REDIS_CLUSTER_NODES']));
    expect(read.filter((name) => !documented(name))).toEqual([]);
    expect(outsideSchema.map((v) => v.name).filter((name) => name in envVariables.shape)).toEqual([]);
  });
});
