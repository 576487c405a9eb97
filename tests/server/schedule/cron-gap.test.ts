/**
 * Issue 22 item 4: the minimum interval holds over a cron expression's whole cycle, not only
 * between its next two fires.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CronExpressionParser } from 'cron-parser';
import { bundledRegistry, client, closeAll, harness } from '../../support/redis';
import { createScheduleService } from '~/server/schedule/service';
import { checkTiming, formatGap, shortestCronGapSeconds } from '~/server/schedule/timing';

afterAll(closeAll);

const cron = (expression: string) => ({ kind: 'cron' as const, expression });
const gap = (expression: string) => shortestCronGapSeconds(CronExpressionParser.parse(expression, { tz: 'UTC' }));
/** The recipe's moment: second 58 of minute 5, when `0-59 0-5 * * * *` fires next at 00:05:59 and then at 01:00:00. */
const SECOND_58_OF_MINUTE_5 = Date.UTC(2026, 2, 10, 0, 5, 58);

describe('the shortest gap of a cron expression, over its whole cycle', () => {
  it('is exact for the wraps of every level (second, minute, hour, day)', () => {
    expect(gap('0-59 0-5 * * * *')).toBe(1);
    expect(gap('*/7 * * * * *')).toBe(4); // :56, then :00 of the next minute
    expect(gap('0 * * * *')).toBe(3600);
    expect(gap('0,59 * * * *')).toBe(60); // hh:59, then (hh+1):00
    expect(gap('59 59 23 * * *')).toBe(86_400);
    expect(gap('59 59 0,23 * * *')).toBe(3600); // 23:59:59, then 00:59:59 the next day
    expect(gap('0 0 0,23 * * 1')).toBe(23 * 3600); // Mondays only: no day follows a fire day
    expect(gap('0 0 0,23 * * 1,2')).toBe(3600); // Monday 23:00, Tuesday 00:00
    expect(gap('0 0 0,23 L * *')).toBe(23 * 3600); // the last day of a month is never followed by another fire day
    expect(gap('0 0 0,23 1,L * *')).toBe(3600); // the last of a month, then the 1st
    expect(gap('0 0 0,23 29 2 *')).toBe(23 * 3600); // once every four years
  });

  it('is the closest pair of neighbours when that is shorter than any wrap, and finds the day wrap from the first fire hour', () => {
    expect(gap('10,11,40 * * * * *')).toBe(1); // :10 → :11 (the wrap :40 → :10 is 30 s)
    expect(gap('0 0 1,23 * * *')).toBe(2 * 3600); // 23:00, then 01:00 the next day (no fire at midnight)
    expect(gap('0 0 1,23 * * 1')).toBe(22 * 3600); // Mondays only: 01:00 → 23:00
  });

  it('is said in days, hours, minutes and seconds, leaving out the units that are zero', () => {
    expect([0, 1, 250, 3600, 3661, 86_400, 90_061, 2 * 86_400 + 5].map(formatGap)).toEqual(['0 s', '1 s', '4 min 10 s', '1 h', '1 h 1 min 1 s', '1 d', '1 d 1 h 1 min 1 s', '2 d 5 s']);
  });

  it('the recipe: "0-59 0-5 * * * *" saved at second 58 of minute 5 is refused, saying it fires as little as 1 s apart', () => {
    expect(() => checkTiming(cron('0-59 0-5 * * * *'), 60, SECOND_58_OF_MINUTE_5)).toThrow(
      'A schedule may fire at most every 60 s (SCHEDULE_MIN_INTERVAL_SECONDS); "0-59 0-5 * * * *" fires as little as 1 s apart',
    );
  });

  it('takes expressions just inside the limit and refuses those just outside, wherever the wrap falls', () => {
    const ok = (expression: string, min: number) => expect(() => checkTiming(cron(expression), min, SECOND_58_OF_MINUTE_5)).not.toThrow();
    const refused = (expression: string, min: number, words: string) =>
      expect(() => checkTiming(cron(expression), min, SECOND_58_OF_MINUTE_5)).toThrow(`fires as little as ${words} apart`);
    ok('*/5 * * * *', 300);
    refused('*/5 * * * *', 301, '5 min');
    ok('0,30 * * * * *', 30);
    refused('0,30 * * * * *', 31, '30 s');
    ok('*/7 * * * * *', 4);
    refused('*/7 * * * * *', 5, '4 s'); // every 7 s, but :56 → :00 is 4 s
    ok('0,59 * * * *', 60);
    refused('0,59 * * * *', 61, '1 min'); // hourly-looking, but :59 → :00
    ok('0 0 0,23 * * 1', 23 * 3600);
    refused('0 0 0,23 * * 1,2', 3601, '1 h'); // Monday 23:00 → Tuesday 00:00
    ok('0 0 * * *', 86_400);
  });

  it('the service refuses the recipe at save time on a pinned clock, and stores nothing', async () => {
    const h = harness();
    const service = createScheduleService({
      redis: client(),
      keys: h.keys.admin,
      registry: bundledRegistry(),
      startJob: () => Promise.reject(new Error('no job expected')),
      config: { minIntervalSeconds: 60, tickMs: 1000, leaseMs: 1000, maxSchedules: 10 },
      now: () => SECOND_58_OF_MINUTE_5,
    });
    const actor = { kind: 'session' as const, label: 'ana (session)' };
    await expect(service.save({ providers: 'all', timing: cron('0-59 0-5 * * * *'), enabled: true }, actor)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /fires as little as 1 s apart/ });
    expect(await service.list()).toEqual([]);
    const saved = await service.save({ providers: 'all', timing: cron('0 0-5 * * * *'), enabled: true }, actor); // once a minute for six minutes an hour
    expect(saved.nextAt).toBe(Date.UTC(2026, 2, 10, 1, 0, 0));
  });
});
