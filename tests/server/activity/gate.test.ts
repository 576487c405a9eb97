/**
 * The per-principal share of live streams on one instance: counted per identity, freed exactly once,
 * and freed too for a client that left, or a stream that never began, before its body was read.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStreamGate } from '~/server/activity/gate';

describe('the stream gate', () => {
  it('refuses the stream past the limit in words, with the wait; another principal still goes', () => {
    const gate = createStreamGate(2);
    gate.acquire('token:a', 'deploy');
    gate.acquire('token:a', 'deploy');
    const refused = (() => {
      try {
        gate.acquire('token:a', 'deploy');
      } catch (err) {
        return err;
      }
    })();
    expect(refused).toMatchObject({
      code: 'RATE_LIMITED',
      message: "Too many live streams: deploy has 2 open on this server (at most 2); close a tab or a script's stream and try again",
      details: { retryAfterSeconds: 5 },
    });
    expect(gate.openFor('token:a')).toBe(2);
    gate.acquire('token:b', 'ci');
    expect(gate.openFor('token:b')).toBe(1);
  });

  it('frees a slot when a stream ends, once however often its release is called', () => {
    const gate = createStreamGate(2);
    const first = gate.acquire('token:a', 'deploy');
    gate.acquire('token:a', 'deploy');
    first.release();
    first.release();
    expect(gate.openFor('token:a')).toBe(1);
    const third = gate.acquire('token:a', 'deploy');
    expect(gate.openFor('token:a')).toBe(2);
    expect(() => gate.acquire('token:a', 'deploy')).toThrow(/Too many live streams/);
    third.release();
    expect(gate.openFor('token:a')).toBe(1);
  });

  it('counts nothing for a principal whose streams have all ended', () => {
    const gate = createStreamGate(1);
    gate.acquire('token:a', 'deploy').release();
    expect(gate.openFor('token:a')).toBe(0);
    expect(gate.openFor('token:never')).toBe(0);
  });

  it('frees a slot when the request signal aborts, whether or not its stream began, and counts it closed once', () => {
    const hooks = { opened: vi.fn(), closed: vi.fn() };
    const gate = createStreamGate(2, hooks);
    const early = new AbortController();
    const unread = gate.acquire('token:a', 'deploy', early.signal);
    const late = new AbortController();
    const running = gate.acquire('token:a', 'deploy', late.signal);
    running.begin();
    expect(gate.openFor('token:a')).toBe(2);

    early.abort(); // the client left before anything read the body
    expect(gate.openFor('token:a')).toBe(1);
    unread.begin(); // a stream whose client left takes nothing again
    unread.release();
    expect(gate.openFor('token:a')).toBe(1);

    late.abort();
    running.release();
    expect(gate.openFor('token:a')).toBe(0);
    expect(hooks.opened).toHaveBeenCalledTimes(2);
    expect(hooks.closed).toHaveBeenCalledTimes(2);
  });

  it('frees at once a slot asked for by a request already aborted', () => {
    const gate = createStreamGate(1);
    gate.acquire('token:a', 'deploy', AbortSignal.abort());
    expect(gate.openFor('token:a')).toBe(0);
    expect(() => gate.acquire('token:a', 'deploy')).not.toThrow();
  });

  describe('a stream that does not begin', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('has its slot freed after startWithinMs; begun late, it takes one again, or is refused in words when none is left', () => {
      vi.useFakeTimers();
      const closed = vi.fn();
      const gate = createStreamGate(1, { closed, startWithinMs: 1000 });
      const slow = gate.acquire('token:a', 'deploy', new AbortController().signal);
      vi.advanceTimersByTime(999);
      expect(gate.openFor('token:a')).toBe(1);
      vi.advanceTimersByTime(1);
      expect(gate.openFor('token:a')).toBe(0);
      expect(closed).toHaveBeenCalledTimes(1);

      slow.begin(); // it was only slow: it counts again
      expect(gate.openFor('token:a')).toBe(1);
      slow.release();
      expect(gate.openFor('token:a')).toBe(0);
      expect(closed).toHaveBeenCalledTimes(2);

      const slower = gate.acquire('token:a', 'deploy');
      vi.advanceTimersByTime(1000);
      const other = gate.acquire('token:a', 'deploy');
      other.begin();
      expect(() => slower.begin()).toThrow(/Too many live streams: deploy has 1 open on this server \(at most 1\)/);
      slower.release();
      expect(gate.openFor('token:a')).toBe(1);
    });

    it('keeps the slot of a stream that began, past the bound', () => {
      vi.useFakeTimers();
      const gate = createStreamGate(1, { startWithinMs: 1000 });
      const slot = gate.acquire('token:a', 'deploy');
      slot.begin();
      vi.advanceTimersByTime(60_000);
      expect(gate.openFor('token:a')).toBe(1);
      slot.release();
      expect(gate.openFor('token:a')).toBe(0);
    });
  });
});
