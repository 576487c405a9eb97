/** When a schedule fires next (pure). Cron expressions are parsed by cron-parser, in UTC. */
import 'server-only';
import { CronExpressionParser } from 'cron-parser';
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

/** Refuses an unparsable cron expression or a period shorter than the minimum, in words. */
export function checkTiming(timing: Timing, minIntervalSeconds: number, now: number): void {
  if (timing.kind === 'interval') {
    if (timing.everySeconds < minIntervalSeconds) throw tooOften(`every ${timing.everySeconds} s`, minIntervalSeconds);
    return;
  }
  let first: number;
  let second: number;
  try {
    const expression = CronExpressionParser.parse(timing.expression, { currentDate: new Date(now), tz: 'UTC' });
    first = expression.next().getTime();
    second = expression.next().getTime();
  } catch (err) {
    throw new DomainError('BAD_REQUEST', `Invalid cron expression "${timing.expression}": ${err instanceof Error ? err.message : String(err)}`);
  }
  if (second - first < minIntervalSeconds * 1000) throw tooOften(`"${timing.expression}"`, minIntervalSeconds);
}

const tooOften = (what: string, min: number) =>
  new DomainError('BAD_REQUEST', `A schedule may fire at most every ${min} s (SCHEDULE_MIN_INTERVAL_SECONDS); ${what} is more often`);
