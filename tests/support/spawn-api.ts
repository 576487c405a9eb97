/** Starts tests/support/api-server.ts as its own process (a second app instance) and stops it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface ApiProcess {
  child: ChildProcess;
  port: number;
  url: string;
  stop(): Promise<void>;
}

export async function spawnApiServer(env: Record<string, string>, port = 0): Promise<ApiProcess> {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'tests/support/api-server.ts'], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code]) => Promise.reject(new Error(`api-server exited with ${String(code)}`)));
  const [line] = (await Promise.race([once(child.stdout as NodeJS.ReadableStream, 'data'), exited])) as [Buffer];
  const listening = Number(/listening (\d+)/.exec(line.toString())?.[1]);
  return {
    child,
    port: listening,
    url: `http://127.0.0.1:${listening}/api/trpc`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = once(child, 'exit');
      child.kill('SIGTERM');
      await gone;
    },
  };
}
