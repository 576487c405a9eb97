/**
 * Blocking readers (XREAD BLOCK) need a connection each. Opening one costs round trips (TCP, then
 * the handshake) on the path from a click to the first live event, so a finished reader's connection
 * is kept for the next one. A reader interrupted mid-XREAD is closed instead: its connection is
 * still blocked in Redis.
 */
import 'server-only';
import type { Redis } from 'ioredis';
import { connectBlocking } from './connection';

export type ReaderPool = ReturnType<typeof createReaderPool>;

export function createReaderPool(base: Redis, name: string, keepIdle = 4) {
  const idle: Redis[] = [];
  let closed = false;
  return {
    acquire(): Redis {
      for (let reader = idle.pop(); reader; reader = idle.pop()) {
        if (reader.status === 'ready') return reader;
        reader.disconnect();
      }
      return connectBlocking(base, name);
    },
    /** Back to the pool, only if nothing is pending on it. */
    release(reader: Redis): void {
      if (closed || idle.length >= keepIdle || reader.status !== 'ready') reader.disconnect();
      else idle.push(reader);
    },
    close(): void {
      closed = true;
      idle.splice(0).forEach((reader) => reader.disconnect());
    },
  };
}
