/**
 * The bench's private world: a redis-server in a temp dir (never the developer's 127.0.0.1:6379), a
 * delaying/counting proxy in front of it, and one set of clients per network path.
 * Everything started here is undone by `close()`, which runs once however many times it is called,
 * so `finally`, a signal and the watchdog can all call it safely.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type { RedisClient } from '~/server/redis/connection';
import { connect } from '~/server/redis/connection';
import { startRedisProxy, type RedisProxy } from './redis-proxy';
import { startRedisServer } from './redis-server';

/** The two connections the app uses: deletions on one, job records and events on the other. */
export interface Clients {
  catalog: RedisClient;
  admin: RedisClient;
}

export interface BenchEnv {
  /** The private redis-server's URL, for benches that wire whole app instances. */
  url: string;
  proxy: RedisProxy;
  /** Straight to redis-server (loopback). */
  direct: Clients;
  /** Through the proxy: delayed by proxy.setDelay() and counted by proxy.roundTrips(). */
  proxied: Clients;
  /** Seeding and checks only: direct, so it is neither timed nor counted. */
  control: Redis;
  close(): Promise<void>;
  /** Cleans up, then exits with `code` (signals, watchdog). */
  abort(reason: string, code: number): Promise<never>;
}

type Closer = () => unknown;

export async function startBenchEnv(): Promise<BenchEnv> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'catalog-bench-'));
  const closers: Closer[] = [() => rmSync(dir, { recursive: true, force: true })];
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= runClosers(closers));

  const abort = async (reason: string, code: number): Promise<never> => {
    console.error(`\nbench: ${reason}; cleaning up`);
    await close();
    process.exit(code);
  };
  // Registered before anything starts, so Ctrl-C during startup still removes the server and the dir.
  const onSignal = (signal: NodeJS.Signals) => void abort(`received ${signal}`, 130);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  closers.push(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });

  try {
    const server = await startRedisServer({ dir });
    closers.push(() => server.stop());
    const proxy = await startRedisProxy({ target: { host: '127.0.0.1', port: server.port } });
    closers.push(() => proxy.close());
    const open = (url: string, name: string) => {
      // Our production options (fail fast, no resend), so the numbers are the app's numbers.
      const client = connect(url, name);
      // disconnect(), not quit(): quit waits for a reply that never comes if redis-server died first (Ctrl-C hits it too).
      closers.push(() => client.disconnect());
      return client;
    };
    const env: BenchEnv = {
      url: server.url,
      proxy,
      direct: { catalog: open(server.url, 'bench-catalog'), admin: open(server.url, 'bench-admin') },
      proxied: { catalog: open(proxy.url, 'bench-catalog-proxied'), admin: open(proxy.url, 'bench-admin-proxied') },
      control: open(server.url, 'bench-control'),
      close,
      abort,
    };
    // Connection handshakes (CLIENT SETNAME, ready check) happen now, not inside a timed run.
    const all = [env.direct.catalog, env.direct.admin, env.proxied.catalog, env.proxied.admin, env.control];
    await Promise.all(all.map((client) => client.ping()));
    return env;
  } catch (err) {
    await close();
    throw err;
  }
}

/** Last started, first stopped: clients before the proxy, the proxy before the server, the dir last. */
async function runClosers(closers: Closer[]): Promise<void> {
  for (const closer of closers.reverse()) {
    try {
      await closer();
    } catch (err) {
      console.error('bench: cleanup step failed:', err);
    }
  }
}
