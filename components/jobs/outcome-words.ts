/** A job's outcome in the words its panel shows and the announcer says (tests/components/outcome-words.test.ts). */
import { formatMs, plural } from '~/components/common/format';
import type { InvalidationResult } from '~/server/invalidation/schema';
import type { Tone } from '~/components/common/announcer';
import type { InvalidationState } from './use-invalidation';

export function completedWords(result: InvalidationResult): string {
  if (result.keysMarkedStale !== undefined) {
    return `Marked ${plural(result.keysMarkedStale, 'provider')} stale (${plural(result.providersInvalidated, 'provider')} invalidated), deleted ${plural(result.keysDeleted, 'key')} in ${formatMs(result.durationMs)}`;
  }
  return `Invalidated ${plural(result.providersInvalidated, 'provider')}, deleted ${plural(result.keysDeleted, 'key')} in ${formatMs(result.durationMs)}`;
}

/** What to announce when a job of this tab ends, or null while it has not. */
export function endAnnouncement(title: string, state: Pick<InvalidationState, 'status' | 'result' | 'error'>): { message: string; tone: Tone } | null {
  if (state.status === 'completed' && state.result) return { message: `${title}: ${completedWords(state.result)}.`, tone: 'ok' };
  if (state.status === 'failed') return { message: `${title}: invalidation failed: ${state.error?.message ?? 'unknown error'}`, tone: 'bad' };
  return null;
}
