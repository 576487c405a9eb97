/**
 * Generated blocks inside hand-written docs: `npm run bench` rewrites what lies between
 * `<!-- <name>:start -->` and `<!-- <name>:end -->` in docs/benchmark.md and leaves the prose around
 * the markers as it is.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** `doc` with the block `name` replaced by `body`; throws, naming the block, when its markers are missing. */
export function replaceBlock(doc: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`no ${start} … ${end} block to rewrite`);
  return `${doc.slice(0, from + start.length)}\n${body.trim()}\n${doc.slice(to)}`;
}

/** Rewrites the named blocks of one file in place. */
export function writeBlocks(file: URL, blocks: Record<string, string>): void {
  let doc = readFileSync(file, 'utf8');
  for (const [name, body] of Object.entries(blocks)) doc = replaceBlock(doc, name, body);
  writeFileSync(file, doc);
  console.error(`bench: rewrote ${Object.keys(blocks).join(', ')} in ${file.pathname}`);
}
