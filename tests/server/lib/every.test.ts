/** The one background loop (schedule ticks, webhook delivery, the webhook sweep), on vitest's fake clock. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { every } from '~/server/lib/every';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A run that stays in flight until released. */
function gatedRuns() {
  const releases: Array<() => void> = [];
  const fn = vi.fn(() => new Promise<void>((resolve) => releases.push(resolve)));
  return { fn, release: () => releases.shift()?.() };
}

describe('every(ms, fn)', () => {
  it('runs after one period by default, then a period after each run ends, never two at once', async () => {
    const runs = gatedRuns();
    const loop = every(100, runs.fn, () => {});
    loop.start();
    await vi.advanceTimersByTimeAsync(99);
    expect(runs.fn).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs.fn).toHaveBeenCalledTimes(1);
    // Still in flight: no second run however long it takes.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs.fn).toHaveBeenCalledTimes(1);
    runs.release();
    await vi.advanceTimersByTimeAsync(99);
    expect(runs.fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs.fn).toHaveBeenCalledTimes(2);
    runs.release();
    await loop.stop();
  });

  it('starts at once when asked, and start is idempotent', async () => {
    const fn = vi.fn(async () => {});
    const loop = every(100, fn, () => {});
    loop.start(0);
    loop.start(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(fn).toHaveBeenCalledTimes(2);
    await loop.stop();
  });

  it('kick runs now, or right after the run in flight; ignored while stopped', async () => {
    const runs = gatedRuns();
    const loop = every(10_000, runs.fn, () => {});
    loop.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.fn).toHaveBeenCalledTimes(0);
    loop.start();
    loop.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.fn).toHaveBeenCalledTimes(1);
    loop.kick(); // while in flight: once more right after it
    loop.kick();
    runs.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.fn).toHaveBeenCalledTimes(2);
    runs.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.fn).toHaveBeenCalledTimes(2);
    await loop.stop();
  });

  it('reports a failed run and goes on', async () => {
    const errors: unknown[] = [];
    const fn = vi.fn().mockRejectedValueOnce(new Error('boom')).mockResolvedValue(undefined);
    const loop = every(50, fn, (err) => errors.push(err));
    loop.start(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([new Error('boom')]);
    await vi.advanceTimersByTimeAsync(50);
    expect(fn).toHaveBeenCalledTimes(2);
    await loop.stop();
  });

  it('stop waits for the run in flight and schedules no more', async () => {
    const runs = gatedRuns();
    const loop = every(100, runs.fn, () => {});
    loop.start(0);
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    expect(loop.running()).toBe(false);
    runs.release();
    await stopping;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs.fn).toHaveBeenCalledTimes(1);
  });

  it('a kick during a run never starts a second alongside it: the next run waits for the first to end', async () => {
    const runs = gatedRuns();
    const loop = every(10_000, runs.fn, () => {});
    loop.start(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.fn).toHaveBeenCalledTimes(1);
    loop.kick();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs.fn).toHaveBeenCalledTimes(1);
    runs.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.fn).toHaveBeenCalledTimes(2);
    runs.release();
    await loop.stop();
  });

  it('a kick pending at stop is forgotten: a restarted loop runs a period after its first run, not at once', async () => {
    const runs = gatedRuns();
    const loop = every(100, runs.fn, () => {});
    loop.start(0);
    await vi.advanceTimersByTimeAsync(0);
    loop.kick(); // asked for right after the run in flight, then stopped before it ends
    const stopping = loop.stop();
    runs.release();
    await stopping;
    loop.start(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.fn).toHaveBeenCalledTimes(2);
    runs.release();
    await vi.advanceTimersByTimeAsync(99);
    expect(runs.fn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs.fn).toHaveBeenCalledTimes(3);
    runs.release();
    await loop.stop();
  });
});
