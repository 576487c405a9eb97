/**
 * The layering rule of docs/architecture.md ("The layers"), checked over the real import graph: layers
 * point down only, no two folders import each other (directly or round a loop), the domains know
 * nothing of tRPC, Next or the composition root, and the client reaches only shared modules.
 */
import { describe, expect, it } from 'vitest';
import { folderOf, importGraph, isShared, layerOf, LAYERS, type Edge } from './graph';

const graph = importGraph();
const serverEdges = graph.edges.filter((e) => e.from.startsWith('server/') && e.to.startsWith('server/'));

describe('the import graph', () => {
  it('reads every module (the check cannot pass on an empty graph)', () => {
    expect(graph.files.length).toBeGreaterThan(100);
    expect(serverEdges.length).toBeGreaterThan(100);
  });

  it('has layers that point down only', () => {
    const upward = graph.edges.filter((e) => LAYERS.indexOf(layerOf(e.to)) > LAYERS.indexOf(layerOf(e.from)));
    expect(upward.map(show)).toEqual([]);
  });

  it('has no loop between folders', () => {
    expect(folderCycles(serverEdges)).toEqual([]);
  });

  it('keeps tRPC and Next out of the domains, the redis layer and lib', () => {
    const leaks = graph.external.filter((e) => ['lib', 'redis', 'domain', 'root'].includes(layerOf(e.from)) && /^(@trpc\/|next(\/|$))/.test(e.to));
    expect(leaks.map(show)).toEqual([]);
  });

  it('lets the client import values only from shared modules, which import only shared modules', () => {
    const client = graph.edges.filter((e) => e.from.startsWith('components/') && e.to.startsWith('server/') && !e.typeOnly && !isShared(e.to));
    expect(client.map(show)).toEqual([]);
    const sharedLeaks = graph.edges.filter((e) => isShared(e.from) && !e.typeOnly && !isShared(e.to));
    expect(sharedLeaks.map(show)).toEqual([]);
  });

  it("marks every other server module 'server-only', so a client import fails the build", () => {
    const unmarked = graph.files.filter((f) => f.path.startsWith('server/') && !isShared(f.path) && !f.serverOnly);
    expect(unmarked.map((f) => f.path)).toEqual([]);
  });
});

describe('the checker itself', () => {
  it('sees an upward import and a loop when there is one', () => {
    const edges: Edge[] = [
      { from: 'server/catalog/a.ts', to: 'server/invalidation/b.ts', typeOnly: false },
      { from: 'server/invalidation/b.ts', to: 'server/catalog/c.ts', typeOnly: true },
    ];
    expect(folderCycles(edges)).toEqual(['server/catalog -> server/invalidation -> server/catalog']);
    expect(layerOf('server/app/services.ts')).toBe('root');
    expect(LAYERS.indexOf(layerOf('server/trpc/init.ts'))).toBeGreaterThan(LAYERS.indexOf(layerOf('server/app/wiring.ts')));
    expect(isShared('server/invalidation/schema.ts')).toBe(true);
    expect(isShared('server/invalidation/store.ts')).toBe(false);
  });
});

const show = (e: { from: string; to: string }) => `${e.from} -> ${e.to}`;

/** Every elementary loop of the folder graph, each reported once from its smallest folder. */
function folderCycles(edges: Edge[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a === b) continue;
    if (!next.has(a)) next.set(a, new Set());
    next.get(a)?.add(b);
  }
  const found = new Set<string>();
  const walk = (start: string, at: string, path: string[]) => {
    for (const n of next.get(at) ?? []) {
      if (n === start) found.add([...path, n].join(' -> '));
      else if (!path.includes(n) && n > start) walk(start, n, [...path, n]);
    }
  };
  for (const start of [...next.keys()].sort()) walk(start, start, [start]);
  return [...found].sort();
}
