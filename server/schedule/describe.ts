/** A schedule's timing in words; pure and type-only, so the panel can import it without the parser. */
import type { Timing } from './schema';

export function describeTiming(timing: Timing): string {
  if (timing.kind === 'cron') return `cron ${timing.expression} (UTC)`;
  const s = timing.everySeconds;
  if (s % 86_400 === 0) return `every ${s / 86_400} d`;
  if (s % 3600 === 0) return `every ${s / 3600} h`;
  if (s % 60 === 0) return `every ${s / 60} min`;
  return `every ${s} s`;
}
