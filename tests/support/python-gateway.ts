/**
 * The Python "gateway" (clients/python/demo_gateway.py) as a child process run by Debian's
 * /usr/bin/python3 (the one python3-redis installs for; a pyenv python3 on PATH would not see it).
 * It prints one JSON object per line; `ask` writes a command and waits for its answer, `seen` waits
 * for a line (a drop, a flush) — conditions, never sleeps.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { expect } from 'vitest';
import { until } from './until';

export const PYTHON = '/usr/bin/python3';
const DIR = path.join('clients', 'python');
export const PYTHON_FILES = [path.join(DIR, 'catalog_confirm.py'), path.join(DIR, 'demo_gateway.py')];

export type Line = Record<string, unknown> & { event: string };

export interface PythonGatewayOptions {
  redisUrl: string;
  /** Where its subscriber connects (a fault proxy); default redisUrl. */
  subscriberUrl?: string;
  ns: { adminPrefix: string; catalogPrefix: string };
  heartbeatMs?: number;
  healthWindowMs?: number;
  maxAgeMs?: number;
}

/** Compiles both files without writing bytecode beside them; the output names what failed. */
export function compilePython(): { status: number | null; output: string } {
  const code = 'import sys, redis\nfor f in sys.argv[1:]: compile(open(f).read(), f, "exec")';
  const run = spawnSync(PYTHON, ['-c', code, ...PYTHON_FILES], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}${run.error ? String(run.error) : ''}` };
}

export async function startPythonGateway(options: PythonGatewayOptions) {
  const args = [path.join(DIR, 'demo_gateway.py'), '--redis', options.redisUrl, '--admin-prefix', options.ns.adminPrefix, '--catalog-prefix', options.ns.catalogPrefix];
  if (options.subscriberUrl) args.push('--subscriber-redis', options.subscriberUrl);
  args.push('--heartbeat-ms', String(options.heartbeatMs ?? 100), '--health-window-ms', String(options.healthWindowMs ?? 10_000), '--max-age-ms', String(options.maxAgeMs ?? 60_000));
  const child = spawn(PYTHON, args, { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: Line[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as Line);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit');

  /** The first line from `from` on that matches; fails with what it printed if the process died. */
  async function seen(match: Partial<Line> & { event: string }, from = 0): Promise<Line> {
    return until(() => {
      if (child.exitCode !== null) throw new Error(`demo_gateway.py exited ${child.exitCode}:\n${stderr}`);
      const found = lines.slice(from).find((l) => Object.entries(match).every(([k, v]) => l[k] === v));
      expect(found, `no ${JSON.stringify(match)} in ${JSON.stringify(lines.slice(from))}`).toBeDefined();
      return found as Line;
    });
  }

  async function ask(command: string, event: string): Promise<Line> {
    const from = lines.length;
    child.stdin.write(`${command}\n`);
    return seen({ event }, from);
  }

  const ready = await seen({ event: 'ready' });
  return {
    id: ready.id as string,
    pid: child.pid ?? 0,
    lines,
    seen,
    ask,
    /** A mark for `seen(…, mark)`: only lines printed after now. */
    mark: () => lines.length,
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end('stop\n');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

export type PythonGateway = Awaited<ReturnType<typeof startPythonGateway>>;
