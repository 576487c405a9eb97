/**
 * The project's import graph, read from the source text (no bundler): every `import`/`export … from`
 * of the app's own modules, resolved through the `~/` alias and relative paths.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Bottom to top: a module may import its own layer and those before it, never one after.
 * `protocol` is clients/ (the confirmation protocol's participants, which gateways copy: they import
 * nothing of the app); `layout` is server/layout/ (the key-template grammar env.ts validates with);
 * `env` is server/env.ts alone, above both and below everything that reads the configuration.
 */
export const LAYERS = ['protocol', 'lib', 'layout', 'env', 'redis', 'domain', 'root', 'transport', 'client', 'routes'] as const;
export type Layer = (typeof LAYERS)[number];

export interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

export interface SourceFile {
  path: string;
  serverOnly: boolean;
}

const ROOT = process.cwd();
const SCANNED = ['server', 'app', 'components', 'clients', 'instrumentation.ts', 'proxy.ts'];

export function layerOf(file: string): Layer {
  if (file.startsWith('clients/')) return 'protocol';
  if (file.startsWith('server/lib/')) return 'lib';
  if (file.startsWith('server/layout/')) return 'layout';
  if (file === 'server/env.ts') return 'env';
  if (file.startsWith('server/redis/')) return 'redis';
  if (file.startsWith('server/app/')) return 'root';
  if (file.startsWith('server/trpc/') || file.startsWith('server/http/')) return 'transport';
  if (file.startsWith('server/')) return 'domain';
  if (file.startsWith('components/')) return 'client';
  return 'routes';
}

/** A folder of the graph: `server/<name>`, `components/<feature>`, or the top folder. */
export function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts.length === 2 && parts[0] === 'server') return `server/${path.basename(file, '.ts')}`;
  return parts.length > 2 ? parts.slice(0, 2).join('/') : (parts[0] ?? file);
}

/**
 * A part of a domain: `server/<domain>/<part>` for a module in a sub-folder (invalidation's store/
 * and streams/), else null. The domain's own modules use its parts; a part uses the domain's schemas only.
 */
export function partOf(file: string): string | null {
  const parts = file.split('/');
  return layerOf(file) === 'domain' && parts.length > 3 ? parts.slice(0, 3).join('/') : null;
}

/**
 * Modules both the server and the browser may load: schemas (zod and pure helpers), lib's leaves,
 * the key-template grammar and the protocol's reference (zod only).
 */
export function isShared(file: string): boolean {
  return file.startsWith('server/lib/') || file.startsWith('server/layout/') || /^clients\/node\/[a-z-]*protocol\.ts$/.test(file) || /^server\/.+\/([a-z-]+-)?schema\.ts$/.test(file);
}

function listFiles(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return /\.tsx?$/.test(entry) ? [entry] : [];
  return readdirSync(full).flatMap((name) => listFiles(path.join(entry, name)));
}

function resolve(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith('~/')) base = spec.slice(2);
  else if (spec.startsWith('.')) base = path.join(path.dirname(from), spec);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) {
    const full = path.join(ROOT, candidate);
    if (existsSync(full) && statSync(full).isFile()) return candidate;
  }
  return base;
}

const IMPORT = /^(?:import|export)\s+(type\s+)?(?:([\s\S]*?)\s+from\s+)?'([^']+)';?/gm;

export function importGraph() {
  const files: SourceFile[] = [];
  const edges: Edge[] = [];
  const external: Edge[] = [];
  for (const file of SCANNED.flatMap(listFiles)) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    files.push({ path: file, serverOnly: /^import 'server-only';$/m.test(text) });
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[3] ?? '';
      const names = m[2] ?? '';
      // `import type {…}` or `import { type A, type B }`: erased at compile time.
      const typeOnly = Boolean(m[1]) || (/^\{[\s\S]*\}$/.test(names.trim()) && names.replace(/[{}\s]/g, '').split(',').filter(Boolean).every((n) => n.startsWith('type')));
      const to = resolve(file, spec);
      if (to) edges.push({ from: file, to, typeOnly });
      else external.push({ from: file, to: spec, typeOnly });
    }
  }
  return { files, edges, external };
}
