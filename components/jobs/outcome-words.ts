/** A job's outcome in the words its panel, the history and the announcer use (tests/components/outcome-words.test.ts). */
import { formatMs, plural } from '~/components/common/format';
import type { InvalidationResult } from '~/server/invalidation/schema';
import type { ProviderRefresh } from '~/server/invalidation/refresh-schema';
import type { Tone } from '~/components/common/announcer';
import type { InvalidationState } from './use-invalidation';

type Mode = 'delete' | 'soft';

/**
 * A soft job marks instead of deleting: its result counts marked keys. A soft job that found
 * nothing cached counts none, so the request's mode decides when it is known.
 */
export function isSoft(result: Pick<InvalidationResult, 'keysDeleted' | 'keysMarkedStale'>, mode?: Mode): boolean {
  return mode ? mode === 'soft' : result.keysMarkedStale !== undefined;
}

/** "21 marked stale, 0 keys deleted" (soft) or "3 keys deleted": both counts side by side for a soft job, never a bare 0. */
export function keyCounts(result: Pick<InvalidationResult, 'keysDeleted' | 'keysMarkedStale'>, mode?: Mode): string {
  const deleted = plural(result.keysDeleted, 'key');
  return isSoft(result, mode) ? `${result.keysMarkedStale ?? 0} marked stale, ${deleted} deleted` : `${deleted} deleted`;
}

/**
 * "Marked 21 providers stale; they refresh in the background (21 marked stale, 0 keys deleted, 175 ms)":
 * a soft job reads as what it did, not as "deleted 0 keys". With a refresh, the providers were fetched
 * again by the job itself (its diff says what changed).
 */
export function completedWords(result: InvalidationResult, mode?: Mode): string {
  if (isSoft(result, mode)) {
    const marked = result.keysMarkedStale ?? 0;
    const next = result.refresh ? 'each was fetched again from its source' : marked === 1 ? 'it refreshes in the background' : 'they refresh in the background';
    return `Marked ${plural(marked, 'provider')} stale; ${next} (${keyCounts(result, 'soft')}, ${formatMs(result.durationMs)})`;
  }
  return `Invalidated ${plural(result.providersInvalidated, 'provider')}, deleted ${plural(result.keysDeleted, 'key')} in ${formatMs(result.durationMs)}`;
}

/** "1 added, 0 removed, 2 changed": a refresh's diff counts in words (the timeline said "+1 −0 ~2"). */
export function diffCounts(r: Pick<ProviderRefresh, 'added' | 'removed' | 'changed'>): string {
  return `${r.added.length} added, ${r.removed.length} removed, ${r.changed.length} changed`;
}

/** What to announce when a job of this tab ends, or null while it has not. */
export function endAnnouncement(title: string, state: Pick<InvalidationState, 'status' | 'result' | 'error'>, mode?: Mode): { message: string; tone: Tone } | null {
  if (state.status === 'completed' && state.result) return { message: `${title}: ${completedWords(state.result, mode)}.`, tone: 'ok' };
  if (state.status === 'failed') return { message: `${title}: invalidation failed: ${state.error?.message ?? 'unknown error'}`, tone: 'bad' };
  return null;
}
