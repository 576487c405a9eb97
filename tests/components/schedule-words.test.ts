/** Schedule times in words: relative next runs and what the form says after a save. */
import { describe, expect, it } from 'vitest';
import { formatIn, savedWords } from '~/components/schedules/schedule-words';

const now = 1_700_000_000_000;

describe('formatIn', () => {
  it('says how long until a run, and "due now" once it has come', () => {
    expect(formatIn(now + 2 * 3_600_000, now)).toBe('in 2 h');
    expect(formatIn(now + 45_000, now)).toBe('in 45 s');
    expect(formatIn(now + 90 * 60_000, now)).toBe('in 1 h 30 min');
    expect(formatIn(now + 999, now)).toBe('due now');
    expect(formatIn(now - 5_000, now)).toBe('due now');
  });
});

describe('savedWords', () => {
  it('says what was saved and when it first runs, so the emptied form is not a lost one', () => {
    expect(savedWords({ created: true, scope: 'groq', timing: 'every 15 min', nextAt: now + 900_000 }, now)).toBe(
      'Created: groq, every 15 min; first run in 15 min. The form is ready for another schedule.',
    );
    expect(savedWords({ created: false, scope: 'All providers', timing: 'cron 0 * * * * (UTC)', nextAt: null }, now)).toBe(
      'Saved: All providers, cron 0 * * * * (UTC); paused. The form is ready for another schedule.',
    );
  });
});
