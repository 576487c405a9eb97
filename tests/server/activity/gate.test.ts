/** The per-principal share of live streams on one instance: counted per identity, freed exactly once. */
import { describe, expect, it } from 'vitest';
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
    first();
    first();
    expect(gate.openFor('token:a')).toBe(1);
    const third = gate.acquire('token:a', 'deploy');
    expect(gate.openFor('token:a')).toBe(2);
    expect(() => gate.acquire('token:a', 'deploy')).toThrow(/Too many live streams/);
    third();
    expect(gate.openFor('token:a')).toBe(1);
  });

  it('counts nothing for a principal whose streams have all ended', () => {
    const gate = createStreamGate(1);
    const release = gate.acquire('token:a', 'deploy');
    release();
    expect(gate.openFor('token:a')).toBe(0);
    expect(gate.openFor('token:never')).toBe(0);
  });
});
