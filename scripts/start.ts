/**
 * The embedded start: picks a Redis (REDIS_CLUSTER_NODES, else REDIS_URL, else 127.0.0.1:6379 if it
 * answers, else a private redis-server with its data under .data/), an admin token (ADMIN_TOKEN, else one generated once
 * into .data/), seeds an empty catalog, builds if the build is stale, and runs `next start`.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { newSecret } from '~/server/auth/token';
import { getEnv } from '~/server/env';
import { seedIfEmpty } from './lib/seed';
import { buildIfStale } from './lib/files';
import { startRedisServer, type PrivateRedis } from './lib/redis-server';

const root = process.cwd();
const dataDir = path.join(root, '.data');
const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '3000';

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 700, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

async function resolveRedis(): Promise<{ url?: string; owned?: PrivateRedis }> {
  // A Redis Cluster replaces REDIS_URL: nothing to pick or start (the app and the seed connect to its nodes).
  if (process.env.REDIS_CLUSTER_NODES) {
    console.log(`Using the Redis Cluster at ${process.env.REDIS_CLUSTER_NODES}`);
    return {};
  }
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL };
  if (await answers('redis://127.0.0.1:6379')) return { url: 'redis://127.0.0.1:6379' };
  const owned = await startRedisServer({ dir: path.join(dataDir, 'redis'), port: Number(process.env.EMBEDDED_REDIS_PORT ?? 6390), persist: true });
  console.log(`Started a private redis-server on ${owned.url} (data in .data/redis)`);
  return { url: owned.url, owned };
}

function resolveToken(): { token: string; generated: boolean } {
  if (process.env.ADMIN_TOKEN) return { token: process.env.ADMIN_TOKEN, generated: false };
  const file = path.join(dataDir, 'admin-token');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${newSecret()}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { token: readFileSync(file, 'utf8').trim(), generated: true };
}

async function main() {
  const redis = await resolveRedis();
  const { token, generated } = resolveToken();
  const picked = redis.url ? { REDIS_URL: redis.url } : {};
  const env = getEnv({ ...process.env, ...picked, ADMIN_TOKEN: token });
  const seeded = await seedIfEmpty(env);
  console.log(seeded ? `Seeded the catalog (${seeded} providers).` : 'The catalog already has data: not seeded.');
  if (!buildIfStale(root)) process.exit(1);

  const next = spawn(path.join(root, 'node_modules', '.bin', 'next'), ['start', '-H', host, '-p', port], {
    stdio: 'inherit',
    // NEXT_MANUAL_SIG_HANDLE: our SIGTERM handler (instrumentation.ts) finishes or hands over running jobs before exiting.
    // LOG_PRETTY: coloured log lines for a person at a terminal; JSON lines when piped (or LOG_PRETTY=false).
    env: { ...process.env, ...picked, ADMIN_TOKEN: token, NEXT_TELEMETRY_DISABLED: '1', NEXT_MANUAL_SIG_HANDLE: 'true', LOG_PRETTY: process.env.LOG_PRETTY ?? String(Boolean(process.stdout.isTTY)) },
  });
  console.log(`\n  Admin panel: http://${host}:${port}/`);
  console.log(generated ? `  Admin token: ${token}  (kept in .data/admin-token)\n` : '  Admin token: the ADMIN_TOKEN from your environment\n');

  const stop = (signal: NodeJS.Signals) => next.kill(signal);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  next.on('exit', async (code) => {
    await redis.owned?.stop();
    process.exit(code ?? 0);
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
