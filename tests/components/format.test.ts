/** Counts next to nouns: "1 job", never "1 jobs". */
import { describe, expect, it } from 'vitest';
import { formatExact, formatPrice, plural, timeZoneName } from '~/components/common/format';

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

describe('formatPrice', () => {
  it('always shows cents, so prices line up ("$0.80" beside "$0.25")', () => {
    expect(formatPrice(0.8)).toBe('$0.80');
    expect(formatPrice(0.25)).toBe('$0.25');
    expect(formatPrice(15)).toBe('$15.00');
    expect(formatPrice(0)).toBe('$0.00');
  });

  it('keeps the digits that carry a value, up to four', () => {
    expect(formatPrice(0.075)).toBe('$0.075');
    expect(formatPrice(0.0375)).toBe('$0.0375');
    expect(formatPrice(0.00001)).toBe('$0.00');
    expect(formatPrice(1234.5)).toBe('$1,234.50');
  });

  it('says "—" when there is no price', () => {
    expect(formatPrice(undefined)).toBe('—');
    expect(formatPrice(null)).toBe('—');
    expect(formatPrice(Number.NaN)).toBe('—');
  });
});

describe('formatExact', () => {
  it('names the zone after the date and time', () => {
    expect(formatExact(Date.UTC(2026, 11, 6, 19, 42, 7))).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+/);
    expect(timeZoneName(Date.UTC(2026, 11, 6), 'UTC')).toBe('UTC');
    expect(timeZoneName(Date.UTC(2026, 6, 6), 'Europe/Paris')).toBe('GMT+2');
  });
});
