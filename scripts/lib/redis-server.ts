/**
 * Starts a private `redis-server` for tests, the e2e suite and the embedded start, so nothing we run
 * touches a Redis it did not create. The port is picked free by the OS; data lives under `dir`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';

export interface PrivateRedis {
  port: number;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  dir: string;
  port?: number;
  /** Keep data across a restart (an append-only file), for outage tests that restart the server. */
  persist?: boolean;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRedisServer(options: StartRedisOptions): Promise<PrivateRedis> {
  mkdirSync(options.dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', options.dir, '--save', '', '--daemonize', 'no'];
  args.push('--appendonly', options.persist ? 'yes' : 'no', '--loglevel', 'warning');
  const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (err) => {
    throw new Error(`could not start redis-server (is it installed?): ${err.message}`);
  });
  await waitForPort(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    process: child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface PrivateCluster {
  /** `host:port,…` of the masters (REDIS_CLUSTER_NODES). */
  nodes: string;
  ports: number[];
  servers: PrivateRedis[];
  stop(): Promise<void>;
}

/**
 * A loopback Redis Cluster for tests and the bench: `masters` × (1 + `replicas`) `redis-server`s
 * with cluster mode on free ports, joined with `redis-cli --cluster create`, ready when every node
 * says `cluster_state:ok` (bounded by `timeoutMs`). Each node is our child process, stopped by `stop`.
 */
export async function startRedisCluster(options: { dir: string; masters?: number; replicas?: number; timeoutMs?: number }): Promise<PrivateCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicas ?? 0;
  const servers: PrivateRedis[] = [];
  const stop = async () => void (await Promise.all(servers.map((s) => s.stop())));
  try {
    for (let i = 0; i < masters * (1 + replicas); i++) {
      const dir = `${options.dir}/node-${i}`;
      mkdirSync(dir, { recursive: true });
      const port = await freePort();
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--loglevel', 'warning'];
      args.push('--cluster-enabled', 'yes', '--cluster-config-file', `${dir}/nodes.conf`, '--cluster-node-timeout', '1000', '--daemonize', 'no');
      const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      servers.push({
        port,
        url: `redis://127.0.0.1:${port}`,
        process: child,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
      await waitForPort(port);
    }
    const ports = servers.map((s) => s.port);
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(replicas), '--cluster-yes'], options.timeoutMs ?? 20_000);
    const deadline = Date.now() + (options.timeoutMs ?? 20_000);
    for (const port of ports) {
      for (;;) {
        const info = await run('redis-cli', ['-p', String(port), 'cluster', 'info'], 5000);
        if (info.includes('cluster_state:ok')) break;
        if (Date.now() > deadline) throw new Error(`the test cluster is not ready: 127.0.0.1:${port} says ${info.split('\n')[0]}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const masterPorts = replicas ? ports.slice(0, masters) : ports;
    return { nodes: masterPorts.map((p) => `127.0.0.1:${p}`).join(','), ports, servers, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${command} ${args.slice(0, 3).join(' ')} failed (${code}): ${out.slice(-500)}`));
    });
  });
}
