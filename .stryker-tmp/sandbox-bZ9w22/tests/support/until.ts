// @ts-nocheck
import { vi } from 'vitest';

/**
 * Waits for a condition (never a fixed sleep). vi.waitFor gives up after 1 s by default, too short
 * for a loaded 2-core CI machine; conditions here either hold within milliseconds or never.
 */
export function until<T>(check: () => T | Promise<T>, options: { timeout?: number; interval?: number } = {}): Promise<T> {
  return vi.waitFor(check, { timeout: 10_000, interval: 20, ...options });
}
