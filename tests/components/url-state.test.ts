/** A page's view state in its URL: what is read, and what a change writes. */
import { describe, expect, it } from 'vitest';
import { readParams, writeParams } from '~/components/common/url-state';

describe('readParams', () => {
  it('reads each named param, "" when absent, and nothing else', () => {
    expect(readParams(new URLSearchParams('q=claude&sort=name&other=1'), ['q', 'sort', 'state'])).toEqual({ q: 'claude', sort: 'name', state: '' });
  });
});

describe('writeParams', () => {
  it('sets changed values over the current ones and keeps the rest', () => {
    expect(writeParams('?q=gro&sort=name', { sort: '-keys' })).toBe('?q=gro&sort=-keys');
    expect(writeParams('', { q: 'claude 3' })).toBe('?q=claude+3');
  });

  it('drops emptied values, down to no query string at all', () => {
    expect(writeParams('?q=gro&state=stale', { q: '' })).toBe('?state=stale');
    expect(writeParams('?q=gro', { q: '' })).toBe('');
  });
});
