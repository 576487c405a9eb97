/** `npm run bench` rewrites its tables in docs/benchmark.md between markers and keeps the prose around them. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceBlock } from '~/scripts/lib/doc-blocks';

const page = readFileSync(path.resolve(__dirname, '../../docs/benchmark.md'), 'utf8');

describe('docs/benchmark.md and the bench', () => {
  it('replaces only what lies between the markers', () => {
    const doc = 'before\n<!-- bench:start -->\nold table\n<!-- bench:end -->\nafter\n';
    expect(replaceBlock(doc, 'bench', '| new |\n')).toBe('before\n<!-- bench:start -->\n| new |\n<!-- bench:end -->\nafter\n');
  });

  it('refuses a page without the block, naming it', () => {
    expect(() => replaceBlock('no markers', 'bench-http', 'x')).toThrow('no <!-- bench-http:start --> … <!-- bench-http:end --> block to rewrite');
  });

  it('holds one block per bench mode, each once', () => {
    for (const name of ['bench', 'bench-http', 'bench-guard', 'bench-million']) {
      expect(page.split(`<!-- ${name}:start -->`).length, name).toBe(2);
      expect(page.split(`<!-- ${name}:end -->`).length, name).toBe(2);
      expect(replaceBlock(page, name, 'x')).toContain(`<!-- ${name}:start -->\nx\n<!-- ${name}:end -->`);
    }
  });
});
