/** Counts next to nouns: "1 job", never "1 jobs". */
import { describe, expect, it } from 'vitest';
import { plural } from '~/components/common/format';

describe('plural', () => {
  it('uses the singular for exactly one, the plural otherwise (zero included)', () => {
    expect(plural(1, 'job')).toBe('1 job');
    expect(plural(0, 'job')).toBe('0 jobs');
    expect(plural(2, 'key')).toBe('2 keys');
    expect(plural(-1, 'key')).toBe('-1 keys');
  });

  it('takes an irregular plural', () => {
    expect(plural(1, 'more provider', 'more providers')).toBe('1 more provider');
    expect(plural(3, 'entry', 'entries')).toBe('3 entries');
  });
});
