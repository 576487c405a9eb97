/** The in-process runner: bounded concurrency, a bounded queue (BUSY), drain and close. */
import { describe, expect, it } from 'vitest';
import { JobRunner } from '~/server/invalidation/runner';
import { until } from '../../support/until';

/** A task that runs until `finish()` is called. */
function latch() {
  let finish = () => {};
  let started = false;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    task: () => {
      started = true;
      return done;
    },
    finish: () => finish(),
    started: () => started,
  };
}

describe('JobRunner', () => {
  it('runs at most `concurrency` jobs, queues the rest, and refuses past the queue limit (BUSY)', async () => {
    const runner = new JobRunner(2, 1);
    const [a, b, c] = [latch(), latch(), latch()];
    expect(runner.room).toBe(2);
    runner.submit('a', a.task);
    runner.submit('b', b.task);
    expect(runner.room).toBe(0);
    runner.ensureCapacity(); // the queue is still empty
    runner.submit('c', c.task);
    await until(() => expect([a.started(), b.started(), c.started()]).toEqual([true, true, false]));
    expect(runner.pending).toBe(3);
    expect(() => runner.ensureCapacity()).toThrow(expect.objectContaining({ code: 'BUSY', message: 'Too many invalidations waiting (1); try again shortly' }));

    a.finish();
    await until(() => expect(c.started()).toBe(true));
    expect(runner.pending).toBe(2);
    let drained = false;
    const draining = runner.drain().then(() => (drained = true));
    b.finish();
    c.finish();
    await draining;
    expect(drained).toBe(true);
    expect(runner.pending).toBe(0);
    expect(runner.room).toBe(2);
  });

  it('close: starts nothing more, returns the queued ids, and drains once the running ones end', async () => {
    const runner = new JobRunner(1, 10);
    const [a, b, c] = [latch(), latch(), latch()];
    runner.submit('a', a.task);
    runner.submit('b', b.task);
    runner.submit('c', c.task);
    expect(runner.close()).toEqual(['b', 'c']);
    expect(runner.room).toBe(0);
    a.finish();
    await runner.drain();
    expect([b.started(), c.started()]).toEqual([false, false]);
  });

  it('a job that throws does not stop the others', async () => {
    const runner = new JobRunner(1, 10);
    let ran = false;
    runner.submit('bad', () => {
      throw new Error('boom');
    });
    runner.submit('good', async () => {
      ran = true;
    });
    await runner.drain();
    expect(ran).toBe(true);
  });
});
