/**
 * The protocol's one gate (readChannelMessage) and its one key builder, without Redis: what a
 * participant acts on, what it ignores and why, and that its grammars are the app's.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACK_TTL_MAX_MS, ACK_TTL_MIN_MS, ackTarget, instanceProtocolKeys, JOB_ID, PROVIDER_NAME, readChannelMessage } from '~/clients/node/instance-protocol';
import { newJobId } from '~/server/invalidation/store/store';
import { JOB_ID as APP_JOB_ID } from '~/server/invalidation/schema';
import { PROVIDER_NAME as APP_PROVIDER_NAME } from '~/server/lib/names';
import { PYTHON } from '../../support/python-gateway';

const keys = instanceProtocolKeys('cacheadmin:');
const jobId = '0mx5d1k2a3b4c5d6e7f';
const genuine = { type: 'invalidate', jobId, providers: { groq: '7' }, global: '12', at: 1, ackKey: keys.invalidationAcks(jobId), ackTtlMs: 2_592_000_000 };
const read = (m: unknown) => readChannelMessage(JSON.stringify(m), keys);

describe('the confirmation protocol', () => {
  it('has the grammars of the app: job ids as minted, provider names as configured', () => {
    expect(APP_JOB_ID.source).toBe(JOB_ID.source);
    expect(APP_PROVIDER_NAME.source).toBe(PROVIDER_NAME.source);
    expect(JOB_ID.test(newJobId())).toBe(true);
  });

  it('builds an ack key only from a job id', () => {
    expect(keys.invalidationAcks(jobId)).toBe(`cacheadmin:{instances}:acks:${jobId}`);
    for (const bad of ['', 'audit', '../audit', 'x}:y', `${jobId}:x`, jobId.toUpperCase()]) expect(() => keys.invalidationAcks(bad)).toThrow(TypeError);
  });

  it("accepts the announcement clients/PROTOCOL.md shows, under the default prefix", () => {
    const page = readFileSync('clients/PROTOCOL.md', 'utf8');
    const example = /\*\*Announcement\*\*[^`]*```json\n(.+)\n```/.exec(page)?.[1] ?? '';
    expect(readChannelMessage(example, keys)).toEqual({ message: JSON.parse(example) });
  });

  it('acts on a genuine announcement and an ack notice, with or without the legacy fields', () => {
    expect(read(genuine).message).toEqual(genuine);
    const { ackKey: _key, ackTtlMs: _ttl, ...bare } = genuine;
    const message = read(bare).message;
    expect(message).toEqual(bare);
    expect(message?.type === 'invalidate' && ackTarget(message, keys)).toEqual({ key: keys.invalidationAcks(jobId), ttlMs: 30 * 86_400_000 });
    expect(read({ type: 'ack', jobId, id: 'gw-1:42:abc' }).message).toEqual({ type: 'ack', jobId, id: 'gw-1:42:abc' });
  });

  const refused: [string, unknown, string][] = [
    ['not JSON', '{', 'malformed'],
    ['an ackKey naming the audit trail', { ...genuine, ackKey: 'cacheadmin:audit' }, 'ack_key'],
    ["another prefix's ack key", { ...genuine, ackKey: instanceProtocolKeys('other:').invalidationAcks(jobId) }, 'ack_key'],
    ['a TTL of 1 ms', { ...genuine, ackTtlMs: 1 }, 'ack_ttl'],
    ['a TTL below the floor', { ...genuine, ackTtlMs: ACK_TTL_MIN_MS - 1 }, 'ack_ttl'],
    ['a TTL above the ceiling', { ...genuine, ackTtlMs: ACK_TTL_MAX_MS + 1 }, 'ack_ttl'],
    ['a job id outside the grammar', { ...genuine, jobId: 'audit', ackKey: 'cacheadmin:{instances}:acks:audit' }, 'job_id'],
    ['a provider name outside the grammar', { ...genuine, providers: { 'groq}:x': '7' } }, 'provider'],
    ['an unknown field', { ...genuine, key: 'cacheadmin:audit' }, 'malformed'],
    ['an ack notice with a bad job id', { type: 'ack', jobId: 'x', id: 'gw' }, 'job_id'],
    ['an ack notice with an unknown field', { type: 'ack', jobId, id: 'gw', ackKey: 'cacheadmin:audit' }, 'malformed'],
    ['another type', { ...genuine, type: 'delete' }, 'malformed'],
  ];
  const raw = (message: unknown) => (typeof message === 'string' ? message : JSON.stringify(message));

  it.each(refused)('ignores %s', (_what, message, reason) => {
    expect(readChannelMessage(raw(message), keys)).toEqual({ ignored: reason });
  });

  it('the Python client takes and refuses the same messages, for the same reasons', () => {
    const { ackKey: _key, ackTtlMs: _ttl, ...bare } = genuine;
    const cases = [genuine, bare, { type: 'ack', jobId, id: 'gw' }, ...refused.map(([, m]) => m)].map(raw);
    const code = [
      'import json, sys',
      'sys.path.insert(0, "clients/python")',
      'from catalog_confirm import protocol_keys, read_channel_message',
      'keys = protocol_keys("cacheadmin:")',
      'print(json.dumps([read_channel_message(m, keys)[1] for m in json.load(sys.stdin)]))',
    ].join('\n');
    const run = spawnSync(PYTHON, ['-c', code], { input: JSON.stringify(cases), encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([null, null, null, ...refused.map(([, , reason]) => reason)]);
  });
});
