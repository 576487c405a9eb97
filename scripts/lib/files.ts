import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The newest modification time under these files and folders (for "is the build stale?"). */
export function newestMtime(paths: string[]): number {
  let newest = 0;
  const visit = (p: string) => {
    let stat;
    try {
      stat = statSync(p);
    } catch {
      return;
    }
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) for (const entry of readdirSync(p)) visit(path.join(p, entry));
  };
  paths.forEach(visit);
  return newest;
}

/** Runs `next build` unless the build is newer than every source; false if the build failed. */
export function buildIfStale(root: string): boolean {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  const sources = ['app', 'components', 'server', 'next.config.js', 'package-lock.json'].map((p) => path.join(root, p));
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= newestMtime(sources)) return true;
  console.log('Building the app (next build)…');
  const result = spawnSync(path.join(root, 'node_modules', '.bin', 'next'), ['build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  return result.status === 0;
}
