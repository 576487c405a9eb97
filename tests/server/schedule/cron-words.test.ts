/** A cron expression in words and a timing's next runs, shown before saving a schedule. */
import { afterAll, describe, expect, it } from 'vitest';
import { cronInWords, list } from '~/server/lib/cron-words';
import { nextRuns } from '~/server/schedule/timing';
import { createCaller } from '~/server/trpc/root';
import { adminAccount, viewerAccount } from '../../support/principals';
import { closeAll, harness } from '../../support/redis';

afterAll(closeAll);

describe('cronInWords', () => {
  it.each([
    ['0 * * * *', 'At minute 0 of every hour (UTC), every day'],
    ['*/15 * * * *', 'Every 15 minutes (UTC), every day'],
    ['* * * * *', 'Every minute (UTC), every day'],
    ['30 2 * * 1-5', 'At 02:30 UTC, Monday to Friday'],
    ['0 9,17 * * *', 'At 09:00 and 17:00 UTC, every day'],
    ['15 10 * * 1,3,5', 'At 10:15 UTC, on Monday, Wednesday and Friday'],
    ['0 0 * * 0', 'At 00:00 UTC, on Sunday'],
    ['0 0 * * 7', 'At 00:00 UTC, on Sunday'],
    ['0 12 * * MON', 'At 12:00 UTC, on Monday'],
    ['0 9 1 * *', 'At 09:00 UTC, on day 1 of the month'],
    ['0 0 1 jan *', 'At 00:00 UTC, on day 1 of the month, in January'],
    ['0 */2 * * *', 'At minute 0 of every 2 hours (UTC), every day'],
    ['0 8-18 * * 1-5', 'At minute 0 of hours 8 to 18 (UTC), Monday to Friday'],
    ['*/10 * * * * *', 'Every 10 seconds (UTC), every day'],
    ['30 0 9 * * *', 'At 09:00 UTC, second 30, every day'],
    ['  0   6 * * *  ', 'At 06:00 UTC, every day'],
  ])('%s → %s', (expression, words) => {
    expect(cronInWords(expression)).toBe(words);
  });

  it('returns null for what it does not read (the next runs still tell)', () => {
    expect(cronInWords('0 0 L * *')).toBeNull();
    expect(cronInWords('0 0 * * 1#2')).toBeNull();
    expect(cronInWords('every day')).toBeNull();
    expect(cronInWords('')).toBeNull();
    expect(cronInWords('1 2 3 4 5 6 7')).toBeNull();
  });

  it('joins lists as a person writes them', () => {
    expect(list([])).toBe('');
    expect(list(['a'])).toBe('a');
    expect(list(['a', 'b'])).toBe('a and b');
    expect(list(['a', 'b', 'c'])).toBe('a, b and c');
  });
});

describe('nextRuns', () => {
  const at = Date.UTC(2026, 0, 5, 10, 7, 30); // a Monday, 10:07:30 UTC

  it('gives the next three fires of a cron expression, in UTC', () => {
    expect(nextRuns({ kind: 'cron', expression: '0 * * * *' }, at).map((t) => new Date(t).toISOString())).toEqual([
      '2026-01-05T11:00:00.000Z',
      '2026-01-05T12:00:00.000Z',
      '2026-01-05T13:00:00.000Z',
    ]);
    expect(nextRuns({ kind: 'cron', expression: '30 2 * * 1-5' }, Date.UTC(2026, 0, 8, 12)).map((t) => new Date(t).toISOString())).toEqual([
      '2026-01-09T02:30:00.000Z', // Friday
      '2026-01-12T02:30:00.000Z', // Monday: the weekend skipped
      '2026-01-13T02:30:00.000Z',
    ]);
  });

  it('steps an interval from now, as a new schedule starts', () => {
    expect(nextRuns({ kind: 'interval', everySeconds: 900 }, at)).toEqual([at + 900_000, at + 1_800_000, at + 2_700_000]);
    expect(nextRuns({ kind: 'interval', everySeconds: 60 }, at, 1)).toEqual([at + 60_000]);
  });
});

describe('schedules.preview', () => {
  it('answers the next three runs, or the refusal save would give, and saves nothing; admins only', async () => {
    const h = harness(); // SCHEDULE_MIN_INTERVAL_SECONDS is 1 in the harness
    const admin = createCaller({ services: h, actor: adminAccount });
    const ok = await admin.schedules.preview({ timing: { kind: 'cron', expression: '0 * * * *' } });
    expect(ok.error).toBeNull();
    expect(ok.next).toHaveLength(3);
    expect(ok.next.every((t) => new Date(t).getUTCMinutes() === 0 && t % 3_600_000 === 0)).toBe(true);
    await expect(admin.schedules.preview({ timing: { kind: 'interval', everySeconds: 0 } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await admin.schedules.preview({ timing: { kind: 'cron', expression: 'nope' } })).error).toMatch(/^Invalid cron expression "nope"/);
    expect(await admin.schedules.list()).toEqual([]);
    await expect(createCaller({ services: h, actor: viewerAccount }).schedules.preview({ timing: { kind: 'interval', everySeconds: 60 } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('the preview refuses as save does', () => {
  it('a period below SCHEDULE_MIN_INTERVAL_SECONDS, in the same words', () => {
    const service = harness().schedules;
    // The harness's minimum is 1 s: every 0.5 s cannot be asked; a 6-field cron every second passes.
    expect(service.preview({ kind: 'cron', expression: '* * * * * *' }).error).toBeNull();
    expect(service.preview({ kind: 'cron', expression: '0 0 30 2 *' }).error).toMatch(/^Invalid cron expression "0 0 30 2 \*"/);
  });
});
