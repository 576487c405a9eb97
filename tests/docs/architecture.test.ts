/**
 * docs/architecture.md names every folder under server/ and components/, at every depth, as a path
 * like `server/invalidation/store/`: a folder added or moved without a line there fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const page = readFileSync(path.join(root, 'docs/architecture.md'), 'utf8');

function folders(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const child = `${dir}/${entry.name}`;
      return [child, ...folders(child)];
    });
}

describe('docs/architecture.md', () => {
  const real = [...folders('server'), ...folders('components')];

  it('finds the tree it checks', () => {
    expect(real).toEqual(expect.arrayContaining(['server/invalidation', 'server/trpc/routers', 'components/jobs']));
  });

  it('names every folder under server/ and components/', () => {
    expect(real.filter((folder) => !page.includes(`\`${folder}/\``))).toEqual([]);
  });
});
