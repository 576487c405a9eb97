/**
 * The house's size limits, read from the tree: a folder under server/ that passes 15 files wants its
 * parts named as sub-folders, and the composition root stays wiring (under 550 lines in all).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();

function folders(dir: string): string[] {
  const subs = readdirSync(path.join(ROOT, dir)).filter((name) => statSync(path.join(ROOT, dir, name)).isDirectory());
  return [dir, ...subs.flatMap((name) => folders(`${dir}/${name}`))];
}

const filesIn = (dir: string) => readdirSync(path.join(ROOT, dir)).filter((name) => statSync(path.join(ROOT, dir, name)).isFile());

describe('folder sizes', () => {
  it('no folder under server/ holds more than 15 files directly', () => {
    const crowded = folders('server')
      .map((dir) => ({ dir, files: filesIn(dir).length }))
      .filter(({ files }) => files > 15);
    expect(crowded).toEqual([]);
  });

  it('server/app/, the composition root, is under 550 lines', () => {
    const lines = filesIn('server/app').reduce((sum, name) => sum + readFileSync(path.join(ROOT, 'server/app', name), 'utf8').split('\n').length - 1, 0);
    expect(lines).toBeLessThan(550);
  });
});
