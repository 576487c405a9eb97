/** The history charts' words: the real highest value, never the drawing's stand-in of 1. */
import { describe, expect, it } from 'vitest';
import { plural } from '~/components/common/format';
import { chartScale, timeTicks } from '~/components/history/chart-scale';

const keys = (n: number) => plural(n, 'key');

describe('chartScale', () => {
  it('says so when every job deleted nothing, while still drawing against a top of 1', () => {
    expect(chartScale([0, 0, 0], keys, 'no keys deleted')).toEqual({ top: 1, axis: 'no keys deleted', summary: '3 jobs; no keys deleted.' });
  });

  it('states the real highest and the rounded average, pluralised', () => {
    expect(chartScale([0, 1], keys, 'no keys deleted')).toEqual({ top: 1, axis: '1 key', summary: '2 jobs; highest 1 key, average 1 key.' });
    expect(chartScale([4, 23, 2], keys)).toEqual({ top: 23, axis: '23 keys', summary: '3 jobs; highest 23 keys, average 10 keys.' });
    expect(chartScale([7], keys).summary).toBe('1 job; highest 7 keys, average 7 keys.');
  });

  it('without a word for nothing, zeros read as the highest of 0', () => {
    expect(chartScale([0], (ms) => `${ms} ms`)).toEqual({ top: 1, axis: '0 ms', summary: '1 job; highest 0 ms, average 0 ms.' });
  });

  it('has no axis label when no job is listed', () => {
    expect(chartScale([], keys, 'no keys deleted')).toEqual({ top: 1, axis: null, summary: 'No finished jobs listed.' });
  });
});

describe('timeTicks', () => {
  const at = (d: number, h: number, m: number) => new Date(2026, 11, d, h, m).getTime();

  it('labels the first, middle and last bars at the middle of each, clock only within one day', () => {
    expect(timeTicks([at(6, 9, 5), at(6, 10, 0), at(6, 11, 30), at(6, 19, 42)])).toEqual([
      { percent: 12.5, label: '09:05' },
      { percent: 37.5, label: '10:00' },
      { percent: 87.5, label: '19:42' },
    ]);
  });

  it('adds the day when the bars span several, and never repeats a bar', () => {
    expect(timeTicks([at(5, 23, 59), at(6, 0, 1)])).toEqual([
      { percent: 25, label: '12-05 23:59' },
      { percent: 75, label: '12-06 00:01' },
    ]);
    expect(timeTicks([at(6, 8, 0)])).toEqual([{ percent: 50, label: '08:00' }]);
    const second = (s: number) => new Date(2026, 11, 6, 19, 54, s).getTime();
    expect(timeTicks([second(1), second(30), second(59)]).map((t) => t.label)).toEqual(['19:54:01', '19:54:30', '19:54:59']);
    expect(timeTicks([])).toEqual([]);
  });
});
