/**
 * The layering rule of docs/architecture.md ("The layers"), checked over the real import graph: layers
 * point down only, no two folders import each other (directly or round a loop), the domains know
 * nothing of tRPC, Next or the composition root, and the client reaches only shared modules.
 */
import { describe, expect, it } from 'vitest';
import { folderOf, importGraph, isShared, layerOf, LAYERS, partOf, type Edge } from './graph';

const graph = importGraph();
const serverEdges = graph.edges.filter((e) => e.from.startsWith('server/') && e.to.startsWith('server/'));

describe('the import graph', () => {
  it('reads every module (the check cannot pass on an empty graph)', () => {
    expect(graph.files.length).toBeGreaterThan(100);
    expect(serverEdges.length).toBeGreaterThan(100);
  });

  it('reads the protocol clients, the layout folder and the parts of a domain', () => {
    const paths = graph.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['clients/node/instance-protocol.ts', 'clients/node/instance-client.ts', 'server/layout/key-templates.ts', 'server/invalidation/store/store.ts', 'server/invalidation/streams/events.ts']));
  });

  it('has layers that point down only', () => {
    expect(upward(graph.edges).map(show)).toEqual([]);
  });

  it('has no loop between folders', () => {
    expect(folderCycles(serverEdges, folderOf)).toEqual([]);
  });

  it("keeps a domain's parts below it: a part takes only the domain's schemas, and parts make no loop", () => {
    expect(partLeaks(graph.edges).map(show)).toEqual([]);
    expect(partCycles(graph.edges)).toEqual([]);
  });

  it('keeps tRPC and Next out of the domains, the redis layer, env, the layout and lib', () => {
    const leaks = graph.external.filter((e) => ['lib', 'layout', 'env', 'redis', 'domain', 'root'].includes(layerOf(e.from)) && /^(@trpc\/|next(\/|$))/.test(e.to));
    expect(leaks.map(show)).toEqual([]);
  });

  it('keeps the protocol clients copyable by a gateway: zod, ioredis and Node built-ins only', () => {
    const foreign = graph.external.filter((e) => layerOf(e.from) === 'protocol' && !/^(zod|ioredis|node:.+)$/.test(e.to));
    expect(foreign.map(show)).toEqual([]);
  });

  it('lets the client import values only from shared modules, which import only shared modules', () => {
    const client = graph.edges.filter((e) => e.from.startsWith('components/') && /^(server|clients)\//.test(e.to) && !e.typeOnly && !isShared(e.to));
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
    expect(folderCycles(edges, folderOf)).toEqual(['server/catalog -> server/invalidation -> server/catalog']);
    expect(upward(edges).map(show)).toEqual([]);
    expect(upward([{ from: 'server/redis/keys.ts', to: 'server/catalog/c.ts', typeOnly: true }]).map(show)).toEqual(['server/redis/keys.ts -> server/catalog/c.ts']);
    expect(layerOf('server/app/services.ts')).toBe('root');
    expect(LAYERS.indexOf(layerOf('server/trpc/init.ts'))).toBeGreaterThan(LAYERS.indexOf(layerOf('server/app/wiring.ts')));
    expect(isShared('server/invalidation/schema.ts')).toBe(true);
    expect(isShared('server/invalidation/store/store.ts')).toBe(false);
  });

  it('ranks the protocol clients, lib, the layout and env.ts below redis, in that order, and sees an import up that ladder', () => {
    const ladder = ['clients/node/instance-protocol.ts', 'server/lib/names.ts', 'server/layout/key-templates.ts', 'server/env.ts', 'server/redis/keys.ts'];
    const ranks = ladder.map((f) => LAYERS.indexOf(layerOf(f)));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(ranks).size).toBe(ladder.length);
    const up: Edge[] = [
      { from: 'clients/node/instance-client.ts', to: 'server/lib/errors.ts', typeOnly: false },
      { from: 'server/lib/names.ts', to: 'server/layout/key-templates.ts', typeOnly: false },
      { from: 'server/layout/key-templates.ts', to: 'server/env.ts', typeOnly: true },
      { from: 'server/env.ts', to: 'server/redis/keys.ts', typeOnly: false },
    ];
    expect(upward(up).map(show)).toEqual(up.map(show));
    const down: Edge[] = up.map((e) => ({ from: e.to, to: e.from, typeOnly: e.typeOnly }));
    expect(upward(down)).toEqual([]);
  });

  it("sees a part that reaches into its domain, and a loop between two parts", () => {
    const edges: Edge[] = [
      { from: 'server/invalidation/store/job-writes.ts', to: 'server/invalidation/schema.ts', typeOnly: false },
      { from: 'server/invalidation/store/job-writes.ts', to: 'server/invalidation/service.ts', typeOnly: true },
      { from: 'server/invalidation/streams/events.ts', to: 'server/invalidation/store/store.ts', typeOnly: true },
      { from: 'server/invalidation/store/job-reads.ts', to: 'server/invalidation/streams/events.ts', typeOnly: false },
    ];
    expect(partOf('server/invalidation/store/store.ts')).toBe('server/invalidation/store');
    expect(partOf('server/invalidation/service.ts')).toBeNull();
    expect(partOf('server/trpc/routers/invalidation.ts')).toBeNull();
    expect(partLeaks(edges).map(show)).toEqual(['server/invalidation/store/job-writes.ts -> server/invalidation/service.ts']);
    expect(partCycles(edges)).toEqual(['server/invalidation/store -> server/invalidation/streams -> server/invalidation/store']);
  });
});

/** Edges from a layer to one above it. */
function upward(edges: Edge[]): Edge[] {
  return edges.filter((e) => LAYERS.indexOf(layerOf(e.to)) > LAYERS.indexOf(layerOf(e.from)));
}

/** Imports from a part (store/) into its own domain's modules other than the schemas (the domain uses the part, not the other way). */
function partLeaks(edges: Edge[]): Edge[] {
  return edges.filter((e) => {
    const part = partOf(e.from);
    return part !== null && partOf(e.to) === null && folderOf(e.to) === folderOf(e.from) && !isShared(e.to);
  });
}

/** Loops between the parts of one domain. */
function partCycles(edges: Edge[]): string[] {
  const between = edges.filter((e) => partOf(e.from) !== null && partOf(e.to) !== null);
  return folderCycles(between, (f) => partOf(f) ?? f);
}

const show = (e: { from: string; to: string }) => `${e.from} -> ${e.to}`;

/** Every elementary loop of the folder graph (`folder` names a file's folder), each reported once from its smallest folder. */
function folderCycles(edges: Edge[], folder: (file: string) => string): string[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    const a = folder(e.from);
    const b = folder(e.to);
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
