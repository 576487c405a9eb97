/** Formatting of the bench results: a table for people, the same as markdown for docs/benchmark.md, a headline. */
import type { MethodName } from './bench-cases';

export interface Cell {
  /** Median wall time, or round trips × delay when `estimated`. */
  ms: number;
  runs: number;
  estimated: boolean;
}

export interface Row {
  providers: number;
  network: string;
  delayMs: number;
  cells: Record<MethodName, Cell>;
  roundTrips: Record<MethodName, number>;
}

export interface MemorySnapshot {
  heapUsed: number;
  rss: number;
}

const HEADERS = [
  'providers', 'network', 'old ms', 'new engine ms', 'new job ms', 'click ms', 'click/RT', 'old/engine', 'old/job',
  'RT old', 'RT engine', 'RT job', 'RT click', 'runs old/engine/job/click',
];

function fmtMs(cell: Cell): string {
  const value = cell.ms >= 1000 ? Math.round(cell.ms).toLocaleString('en-US') : cell.ms.toFixed(cell.ms >= 100 ? 0 : 1);
  return cell.estimated ? `~${value} (est.)` : value;
}

function fmtRatio(old: Cell, other: Cell): string {
  const ratio = old.ms / other.ms;
  const text = `${ratio >= 100 ? Math.round(ratio) : ratio.toFixed(1)}×`;
  return old.estimated || other.estimated ? `~${text}` : text;
}

/** The click's latency in round trips of the proxy's delay (what the admin waits, in network terms). */
const inRoundTrips = (row: Row) => (row.delayMs ? (row.cells.click.ms / row.delayMs).toFixed(2) : '–');

function cellsOf(row: Row): string[] {
  const { old, engine, job, click } = row.cells;
  const runs = (c: Cell) => (c.estimated ? 'est.' : String(c.runs));
  return [
    String(row.providers), row.network, fmtMs(old), fmtMs(engine), fmtMs(job), fmtMs(click), inRoundTrips(row),
    fmtRatio(old, engine), fmtRatio(old, job),
    String(row.roundTrips.old), String(row.roundTrips.engine), String(row.roundTrips.job), String(row.roundTrips.click),
    `${runs(old)}/${runs(engine)}/${runs(job)}/${runs(click)}`,
  ];
}

export function humanTable(rows: Row[]): string {
  const lines = [HEADERS, ...rows.map(cellsOf)];
  const widths = HEADERS.map((_, i) => Math.max(...lines.map((cells) => (cells[i] ?? '').length)));
  // Text columns left-aligned, numbers right-aligned, as a reader scans them.
  const pad = (cells: string[]) =>
    cells.map((c, i) => (i === 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const [head, ...body] = lines;
  return [pad(head ?? []), rule, ...body.map(pad)].join('\n');
}

export function markdownTable(rows: Row[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const align = HEADERS.map((_, i) => (i === 1 ? ':---' : '---:'));
  return [line(HEADERS), line(align), ...rows.map((r) => line(cellsOf(r)))].join('\n');
}

/** The headline compares with the whole job, what an admin actually waits for, not the engine alone. */
export function headline(rows: Row[], providers: number, delayMs: number): string {
  const row = rows.find((r) => r.providers === providers && r.delayMs === delayMs);
  if (!row) return `(no ${providers}-provider row at ${delayMs} ms)`;
  const { old, job, click } = row.cells;
  return `${providers} providers, ${delayMs} ms round trip: old ${fmtMs(old)} ms, new job ${fmtMs(job)} ms (${fmtRatio(old, job)} faster); click to the result a subscriber sees: ${fmtMs(click)} ms (${inRoundTrips(row)} round trips)`;
}

export const memorySnapshot = (): MemorySnapshot => {
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
};

export function memoryLine(label: string, before: MemorySnapshot, after: MemorySnapshot): string {
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  return `${label}: heap used ${mb(before.heapUsed)} -> ${mb(after.heapUsed)}, RSS ${mb(before.rss)} -> ${mb(after.rss)}`;
}
