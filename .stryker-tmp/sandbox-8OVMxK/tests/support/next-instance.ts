/**
 * A real `next start` of the finished build, as a child process we can SIGKILL or SIGTERM. Spawned
 * as `node …/next start` (not npx, whose child would keep the port) with the graceful-shutdown
 * setting `npm start` uses. Needs `next build` first: these tests run after it (vitest.processes.config.ts).
 */
// @ts-nocheck

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { expect } from 'vitest';
import { freePort } from '~/scripts/lib/redis-server';
import { until } from './until';

export interface NextInstance {
  url: string;
  pid: number;
  process: ChildProcess;
  /** The exit code (or signal name) once it has exited. */
  exited: Promise<number | string>;
  output(): string;
  stop(): Promise<void>;
}

export const TOKEN = 'process-tests-admin-token-0123456789';

export async function startNext(env: Record<string, string>): Promise<NextInstance> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join('node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', NEXT_MANUAL_SIG_HANDLE: 'true', ADMIN_TOKEN: TOKEN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  const url = `http://127.0.0.1:${port}`;
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output}`);
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
  }, { timeout: 30_000, interval: 100 });
  return {
    url,
    pid: child.pid ?? 0,
    process: child,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Calls a tRPC procedure over HTTP with the admin token (plain JSON, as curl would). */
export async function trpc<T>(base: string, procedure: string, input: unknown, kind: 'query' | 'mutation' = 'mutation'): Promise<T> {
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const response =
    kind === 'mutation'
      ? await fetch(`${base}/api/trpc/${procedure}`, { method: 'POST', headers, body: JSON.stringify(input) })
      : await fetch(`${base}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers });
  const body = (await response.json()) as { result?: { data: T }; error?: unknown };
  if (!body.result) throw new Error(`${procedure}: ${response.status} ${JSON.stringify(body.error)}`);
  return body.result.data;
}
