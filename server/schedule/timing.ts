/** When a schedule fires next (pure). Cron expressions are parsed by cron-parser, in UTC. */
import 'server-only';
import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { DomainError } from '~/server/lib/errors';
import type { Timing } from './schema';

/** The first fire time strictly after `after` (ms). */
export function nextFireAt(timing: Timing, after: number, anchor = after): number {
  if (timing.kind === 'interval') {
    // Keep to the grid the schedule started on, skipping periods missed while nothing ran.
    const every = timing.everySeconds * 1000;
    const periods = Math.floor((after - anchor) / every) + 1;
    return anchor + Math.max(1, periods) * every;
  }
  return CronExpressionParser.parse(timing.expression, { currentDate: new Date(after), tz: 'UTC' }).next().getTime();
}

/** The next `count` fire times strictly after `after`, in order: what the form shows before saving. */
export function nextRuns(timing: Timing, after: number, count = 3, anchor = after): number[] {
  const runs: number[] = [];
  let at = after;
  for (let i = 0; i < count; i++) {
    at = nextFireAt(timing, at, anchor);
    runs.push(at);
  }
  return runs;
}

/** Refuses an unparsable cron expression or a period shorter than the minimum, in words. */
export function checkTiming(timing: Timing, minIntervalSeconds: number, now: number): void {
  if (timing.kind === 'interval') {
    if (timing.everySeconds < minIntervalSeconds) throw tooOften(`every ${timing.everySeconds} s is more often`, minIntervalSeconds);
    return;
  }
  let expression: CronExpression;
  try {
    expression = CronExpressionParser.parse(timing.expression, { currentDate: new Date(now), tz: 'UTC' });
    expression.next(); // an expression that never fires (30 February) throws here
  } catch (err) {
    throw new DomainError('BAD_REQUEST', `Invalid cron expression "${timing.expression}": ${err instanceof Error ? err.message : String(err)}`);
  }
  const gap = shortestCronGapSeconds(expression, minIntervalSeconds);
  if (gap < minIntervalSeconds) throw tooOften(`"${timing.expression}" fires as little as ${formatGap(gap)} apart`, minIntervalSeconds);
}

/**
 * The shortest time between two consecutive fires of a cron expression, over its whole cycle, in
 * seconds; exact whenever it is below a day (the largest minimum the env allows), at least a day
 * otherwise. Not the gap between the next two fires: `0-59 0-5 * * * *` saved at 00:05:58 fires
 * twice a minute apart, then every second for six minutes of each hour.
 *
 * Every fire day has the same hours, every fire hour the same minutes, every fire minute the same
 * seconds, so level by level (day → hour → minute → second) the shortest gap is either two
 * neighbouring allowed values of the level, or the wrap from its last value in one unit of the
 * level above to its first value in the next one, which comes the shortest gap of the level above
 * later. The days are the one irregular level (months, weekdays, leap years, `L`, `#`): only
 * whether two calendar days in a row can both fire matters below a day, since any wrap over a day
 * without fires is longer than a day; that is read from cron-parser's own matching over a 28-year
 * calendar cycle (every weekday and leap-year combination), stopping at the first such pair.
 * Pure; costs microseconds, plus at most ~50 ms for an expression whose fire days never touch.
 */
export function shortestCronGapSeconds(expression: CronExpression, belowSeconds = 86_400): number {
  const { second, minute, hour } = expression.fields;
  const [s, m, h] = [second, minute, hour].map((f) => (f.values as number[]).slice().sort((a, b) => a - b)) as [number[], number[], number[]];
  const within = (dayGap: number) => {
    const hours = level(h, dayGap * 24);
    const minutes = level(m, hours * 60);
    return level(s, minutes * 60);
  };
  const ifDaysTouch = within(1);
  if (ifDaysTouch >= belowSeconds) return ifDaysTouch; // days in a row could only make it shorter
  return fireDaysTouch(expression, h[0] ?? 0, m[0] ?? 0, s[0] ?? 0) ? ifDaysTouch : within(2);
}

/** The shortest gap between consecutive fires at one level, in its own unit, given the shortest gap of the level above (already in this unit). */
function level(values: number[], aboveGap: number): number {
  let shortest = aboveGap - ((values.at(-1) ?? 0) - (values[0] ?? 0)); // the wrap: last value, then the first one a unit above later
  for (let i = 1; i < values.length; i++) shortest = Math.min(shortest, (values[i] as number) - (values[i - 1] as number));
  return shortest;
}

const DAY_MS = 86_400_000;
const CALENDAR_CYCLE_DAYS = 28 * 365 + 7;

/** Whether two calendar days in a row both fire, over 28 years from 2001 (a full weekday × leap-year cycle, no skipped leap day). */
function fireDaysTouch(expression: CronExpression, hour: number, minute: number, second: number): boolean {
  const start = Date.UTC(2001, 0, 1, hour, minute, second);
  let previous = false;
  for (let day = 0; day <= CALENDAR_CYCLE_DAYS; day++) {
    const fires = expression.includesDate(new Date(start + day * DAY_MS));
    if (fires && previous) return true;
    previous = fires;
  }
  return false;
}

/** "1 s", "4 min 10 s", "23 h": the gap in words. */
export function formatGap(seconds: number): string {
  const parts: string[] = [];
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (s || !parts.length) parts.push(`${s} s`);
  return parts.join(' ');
}

const tooOften = (what: string, min: number) =>
  new DomainError('BAD_REQUEST', `A schedule may fire at most every ${min} s (SCHEDULE_MIN_INTERVAL_SECONDS); ${what}`);
