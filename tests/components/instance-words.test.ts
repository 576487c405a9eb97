/** The live-instances card in words: kind, version, uptime, heartbeat age, copies held. */
import { describe, expect, it } from 'vitest';
import { describeInstance, formatBytes, instanceName } from '~/components/instances/instance-words';

const now = 1_700_000_000_000;

describe('describeInstance', () => {
  it('says what an instance is, how long it has run, when it last beat and what it holds', () => {
    const text = describeInstance({ kind: 'app', version: '0.1.0', since: now - 185_000, heartbeatAt: now - 1_400, entries: 12, bytes: 1_300_000 }, now);
    expect(text).toBe('panel 0.1.0 · up 3 min · last heartbeat 1 s ago · 12 cached copies held (1.2 MB)');
  });

  it('agrees its nouns with one, leaves out an empty size, and names a gateway', () => {
    expect(describeInstance({ kind: 'gateway', version: 'unknown', since: now, heartbeatAt: now, entries: 1 }, now)).toBe('gateway unknown · up 0 s · last heartbeat 0 s ago · 1 cached copy held');
    expect(describeInstance({ kind: 'app', version: '1', since: now, heartbeatAt: now + 900, entries: 0, bytes: 0 }, now)).toBe('panel 1 · up 0 s · last heartbeat 0 s ago · no cached copies held yet');
  });

  it('formats sizes in B, KB and MB', () => {
    expect([formatBytes(512), formatBytes(655_360), formatBytes(1_300_000)]).toEqual(['512 B', '640 KB', '1.2 MB']);
  });
});

describe('instanceName', () => {
  it('reads host and process from an instance id, and leaves any other id as it is', () => {
    expect(instanceName('vm:13410:mxc0ev2o')).toBe('vm, process 13410');
    expect(instanceName('ip-10-0-0-1.eu-west-1.compute.internal:7:abc')).toBe('ip-10-0-0-1.eu-west-1.compute.internal, process 7');
    expect(instanceName('vm:13410')).toBe('vm, process 13410');
    expect(instanceName('gateway-eu-1')).toBe('gateway-eu-1');
    expect(instanceName('a:b:c')).toBe('a:b:c');
  });
});
