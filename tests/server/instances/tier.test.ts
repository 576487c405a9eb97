/**
 * The process tier on its own (a fake channel and a pinned clock): what it serves, what it
 * refuses to store, and what drops its copies (announcement, channel loss, sequence gap, age).
 */
import { describe, expect, it } from 'vitest';
import { createProcessTier, FULL, providerEntry } from '~/server/catalog/process-tier';
import type { Announcement } from '~/clients/node/instance-protocol';

function setup(maxAgeMs = 1000) {
  let clock = 1000;
  const channel = { up: true, epochs: 0, healthy: () => channel.up, epoch: () => channel.epochs };
  const gaps: (string | null)[] = [];
  const tier = createProcessTier({ maxEntries: 10, maxBytes: 1_000_000, maxAgeMs, now: () => clock, onGap: (p) => gaps.push(p) }, channel);
  const announce = (providers: Record<string, string>, global: string | null = null): Announcement => ({ type: 'invalidate', jobId: 'j', providers, global, at: clock, ackKey: 'k', ackTtlMs: 1000 });
  const store = (name: string, value: unknown, gen: string) => tier.put(tier.begin(providerEntry(name)), value, gen, name);
  return { tier, channel, gaps, announce, store, tick: (ms: number) => (clock += ms) };
}

describe('the process tier', () => {
  it('serves what it stored, until an announcement names an older generation', () => {
    const { tier, announce, store } = setup();
    expect(store('groq', { v: 1 }, '5')).toBe(true);
    expect(tier.get(providerEntry('groq'))).toEqual({ v: 1 });
    tier.apply(announce({ groq: '5' })); // a late announcement of what this copy already reflects
    expect(tier.get(providerEntry('groq'))).toEqual({ v: 1 });
    tier.apply(announce({ groq: '6' }));
    expect(tier.get(providerEntry('groq'))).toBeNull();
  });

  it('refuses a read that began before an announcement, or before the channel was lost', () => {
    const { tier, channel, announce } = setup();
    const before = tier.begin(providerEntry('groq'));
    tier.apply(announce({ groq: '6' }));
    expect(tier.put(before, { old: true }, '5', 'groq')).toBe(false);
    const again = tier.begin(providerEntry('groq'));
    channel.epochs += 1; // lost and back
    expect(tier.put(again, { old: true }, '6', 'groq')).toBe(false);
    expect(tier.get(providerEntry('groq'))).toBeNull();
  });

  it('serves nothing while the channel is unhealthy, and stores nothing begun then', () => {
    const { tier, channel, store } = setup();
    store('groq', { v: 1 }, '1');
    channel.up = false;
    expect(tier.get(providerEntry('groq'))).toBeNull();
    const ticket = tier.begin(providerEntry('xai'));
    channel.up = true;
    expect(tier.put(ticket, { v: 1 }, '1', 'xai')).toBe(false);
  });

  it('drops every copy on a gap in a provider sequence', () => {
    const { tier, gaps, announce, store } = setup();
    store('groq', { v: 1 }, '5');
    store('xai', { v: 1 }, '3');
    tier.apply(announce({ groq: '7' })); // 6 was never announced here
    expect(gaps).toEqual(['groq']);
    expect(tier.get(providerEntry('xai'))).toBeNull();
    expect(tier.holdings().entries).toBe(0);
  });

  it('drops the full catalog on every announcement', () => {
    const { tier, announce } = setup();
    tier.put(tier.begin(FULL), { all: true }, '2', null);
    tier.apply(announce({ groq: '1' }));
    expect(tier.get(FULL)).toBeNull();
  });

  it('serves no copy older than its maximum age, counted from when its read began', () => {
    const { tier, store, tick } = setup(1000);
    const ticket = tier.begin(providerEntry('groq'));
    tick(400); // the read took 400 ms
    tier.put(ticket, { v: 1 }, '1', 'groq');
    tick(600);
    expect(tier.get(providerEntry('groq'))).toEqual({ v: 1 });
    tick(1);
    expect(tier.get(providerEntry('groq'))).toBeNull();
    expect(store('groq', { v: 2 }, '1')).toBe(true);
  });
});
