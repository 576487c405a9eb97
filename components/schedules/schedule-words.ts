/** Schedule times in words: "in 2 h", "in 45 s", "due now" (tests/components/schedule-words.test.ts). */
import { formatSpan } from '~/components/common/format';

/** How long until `at`, rounded as formatSpan rounds; "due now" once it has come. */
export function formatIn(at: number, now: number): string {
  const ms = at - now;
  if (ms < 1000) return 'due now';
  return `in ${formatSpan(ms)}`;
}

/** What the form says after a save: what was saved and when it first runs, so the emptied form does not look like a lost one. */
export function savedWords(saved: { created: boolean; scope: string; timing: string; nextAt: number | null }, now: number): string {
  const verb = saved.created ? 'Created' : 'Saved';
  const next = saved.nextAt === null ? 'paused' : `first run ${formatIn(saved.nextAt, now)}`;
  return `${verb}: ${saved.scope}, ${saved.timing}; ${next}. The form is ready for another schedule.`;
}
