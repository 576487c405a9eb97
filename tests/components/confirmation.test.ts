/** A job's instance confirmations in words: counts that agree with their noun, the missing named. */
import { describe, expect, it } from 'vitest';
import { describeConfirmation } from '~/components/instances/confirmation';

const endedAt = 1_700_000_000_000;

describe('describeConfirmation', () => {
  it('says nothing for a result without instances (a job older than confirmations)', () => {
    expect(describeConfirmation(undefined, endedAt)).toBeNull();
  });

  it('counts every confirmation, the noun agreeing with the total', () => {
    expect(describeConfirmation({ confirmed: 2, total: 2, missing: [] }, endedAt)).toEqual({ text: '2 of 2 instances confirmed', complete: true });
    expect(describeConfirmation({ confirmed: 1, total: 1, missing: [] }, endedAt)).toEqual({ text: '1 of 1 instance confirmed', complete: true });
  });

  it('names each missing instance with its last heartbeat before the job ended', () => {
    const words = describeConfirmation({ confirmed: 1, total: 2, missing: [{ id: 'web-2:41:m3x', lastHeartbeatAt: endedAt - 4_200 }] }, endedAt);
    expect(words).toEqual({ text: '1 of 2 instances confirmed — not confirmed: web-2:41:m3x (last heartbeat 4 s before the job ended)', complete: false });
  });

  it('names several, one gone from the registry, and longer silences in minutes', () => {
    const words = describeConfirmation(
      { confirmed: 0, total: 2, missing: [{ id: 'a', lastHeartbeatAt: endedAt - 125_000 }, { id: 'b', lastHeartbeatAt: null }] },
      endedAt,
    );
    expect(words?.text).toBe('0 of 2 instances confirmed — not confirmed: a (last heartbeat 2 min before the job ended), b (no longer registered)');
    expect(words?.complete).toBe(false);
  });

  it('names the missing without a time when the end is unknown, and says when nobody was live', () => {
    expect(describeConfirmation({ confirmed: 0, total: 1, missing: [{ id: 'a', lastHeartbeatAt: endedAt }] }, null)?.text).toBe('0 of 1 instance confirmed — not confirmed: a');
    expect(describeConfirmation({ confirmed: 0, total: 0, missing: [] }, endedAt)).toEqual({ text: 'No live instance to confirm', complete: true });
  });
});
