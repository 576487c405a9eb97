// @ts-nocheck
import { readdirSync, statSync } from 'node:fs';
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
