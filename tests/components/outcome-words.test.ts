/** A job's end in the words the panel shows and the announcer says; soft jobs in plain words, never as "deleted 0". */
import { describe, expect, it } from 'vitest';
import { completedWords, diffCounts, endAnnouncement, isSoft, keyCounts } from '~/components/jobs/outcome-words';

const result = { success: true, providersInvalidated: 2, keysDeleted: 3, durationMs: 12 };
const soft = { success: true, providersInvalidated: 22, keysDeleted: 0, keysMarkedStale: 21, durationMs: 175 };

describe('outcome words', () => {
  it('says what a delete job did', () => {
    expect(completedWords(result)).toBe('Invalidated 2 providers, deleted 3 keys in 12 ms');
    expect(completedWords(result, 'delete')).toBe('Invalidated 2 providers, deleted 3 keys in 12 ms');
  });

  it('says what a soft job did: marked stale first, then both counts side by side', () => {
    expect(completedWords(soft)).toBe('Marked 21 providers stale; they refresh in the background (21 marked stale, 0 keys deleted, 175 ms)');
    expect(completedWords({ ...soft, keysMarkedStale: 1, keysDeleted: 1 })).toBe('Marked 1 provider stale; it refreshes in the background (1 marked stale, 1 key deleted, 175 ms)');
    // Refreshed by the job itself: it says so instead of "in the background".
    expect(completedWords({ ...soft, refresh: [] })).toBe('Marked 21 providers stale; each was fetched again from its source (21 marked stale, 0 keys deleted, 175 ms)');
    // A soft job that found nothing cached has no keysMarkedStale: the request's mode still makes it soft.
    expect(completedWords({ ...result, keysDeleted: 0 }, 'soft')).toBe('Marked 0 providers stale; they refresh in the background (0 marked stale, 0 keys deleted, 12 ms)');
  });

  it('tells soft from delete by the mode when known, else by the result', () => {
    expect(isSoft(soft)).toBe(true);
    expect(isSoft(result)).toBe(false);
    expect(isSoft(result, 'soft')).toBe(true);
    expect(isSoft(soft, 'delete')).toBe(false);
  });

  it('counts keys: a soft job never reads as a bare 0', () => {
    expect(keyCounts(result)).toBe('3 keys deleted');
    expect(keyCounts({ keysDeleted: 1 })).toBe('1 key deleted');
    expect(keyCounts(soft)).toBe('21 marked stale, 0 keys deleted');
    expect(keyCounts({ keysDeleted: 0 }, 'soft')).toBe('0 marked stale, 0 keys deleted');
  });

  it('spells a refresh diff out', () => {
    expect(diffCounts({ added: ['a'], removed: [], changed: ['b', 'c'] })).toBe('1 added, 0 removed, 2 changed');
    expect(diffCounts({ added: [], removed: [], changed: [] })).toBe('0 added, 0 removed, 0 changed');
  });

  it('announces an end once there is one, in a tone that matches it', () => {
    expect(endAnnouncement('groq', { status: 'running', result: null, error: null })).toBeNull();
    expect(endAnnouncement('groq', { status: 'completed', result, error: null })).toEqual({ message: 'groq: Invalidated 2 providers, deleted 3 keys in 12 ms.', tone: 'ok' });
    expect(endAnnouncement('groq', { status: 'completed', result: soft, error: null }, 'soft')?.message).toBe(
      'groq: Marked 21 providers stale; they refresh in the background (21 marked stale, 0 keys deleted, 175 ms).',
    );
    expect(endAnnouncement('All providers', { status: 'failed', result, error: { message: 'Redis is unreachable' } })).toEqual({
      message: 'All providers: invalidation failed: Redis is unreachable',
      tone: 'bad',
    });
  });
});
