// @ts-nocheck
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';

/** Runs `next start` on the built app with this environment; resolves with its exit code and output. */
function nextStart(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join('node_modules', '.bin', 'next'), ['start', '-p', '3219', '-H', '127.0.0.1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000); // bound: a server that does not stop fails the test
    child.once('exit', (code) => (clearTimeout(timer), resolve({ code, output })));
  });
}

test('a bad environment stops the server at start, naming each problem', async () => {
  const { ADMIN_TOKEN: _token, ...withoutToken } = process.env;
  const missing = await nextStart({ ...withoutToken, REDIS_URL: 'redis://127.0.0.1:1' });
  expect(missing.code).toBe(1);
  expect(missing.output).toContain('ADMIN_TOKEN: ADMIN_TOKEN is required');

  const overlapping = await nextStart({ ...withoutToken, ADMIN_TOKEN: 'x'.repeat(32), CATALOG_PREFIX: 'gw:', ADMIN_PREFIX: 'gw:admin:' });
  expect(overlapping.code).toBe(1);
  expect(overlapping.output).toContain('CATALOG_PREFIX and ADMIN_PREFIX must not overlap');
});
