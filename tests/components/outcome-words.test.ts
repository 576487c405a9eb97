/** A job's end in the words the panel shows and the announcer says. */
import { describe, expect, it } from 'vitest';
import { completedWords, endAnnouncement } from '~/components/jobs/outcome-words';

const result = { success: true, providersInvalidated: 2, keysDeleted: 3, durationMs: 12 };

describe('outcome words', () => {
  it('says what a completed job did, soft or delete', () => {
    expect(completedWords(result)).toBe('Invalidated 2 providers, deleted 3 keys in 12 ms');
    expect(completedWords({ ...result, keysMarkedStale: 1, keysDeleted: 0 })).toBe('Marked 1 provider stale (2 providers invalidated), deleted 0 keys in 12 ms');
  });

  it('announces an end once there is one, in a tone that matches it', () => {
    expect(endAnnouncement('groq', { status: 'running', result: null, error: null })).toBeNull();
    expect(endAnnouncement('groq', { status: 'completed', result, error: null })).toEqual({ message: 'groq: Invalidated 2 providers, deleted 3 keys in 12 ms.', tone: 'ok' });
    expect(endAnnouncement('All providers', { status: 'failed', result, error: { message: 'Redis is unreachable' } })).toEqual({
      message: 'All providers: invalidation failed: Redis is unreachable',
      tone: 'bad',
    });
  });
});
