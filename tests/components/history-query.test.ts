/** The History page's URL → the server's query: dates are whole local days, junk is left out. */
import { describe, expect, it } from 'vitest';
import { dayEnd, dayStart, historyQuery, historySort, type HistoryParams } from '~/components/history/history-query';

const none: HistoryParams = { provider: '', status: '', from: '', to: '', job: '', sort: '' };

describe('historyQuery', () => {
  it('sends nothing but the page size for a clean URL', () => {
    expect(historyQuery(none, 20)).toEqual({ limit: 20 });
  });

  it('turns a date range into the first and the last millisecond of those local days', () => {
    const q = historyQuery({ ...none, from: '2026-12-01', to: '2026-12-06' }, 20);
    expect(q.from).toBe(new Date(2026, 11, 1).getTime());
    expect(q.to).toBe(new Date(2026, 11, 7).getTime() - 1);
    expect(dayStart('2026-12-6')).toBeUndefined();
    expect(dayEnd('yesterday')).toBeUndefined();
  });

  it('leaves out an unknown status, an inverted range\'s end and the non-id characters of a search', () => {
    const q = historyQuery({ ...none, status: 'bogus', provider: 'groq', from: '2026-12-06', to: '2026-12-01', job: ' MIUX-12ab ' }, 5);
    expect(q).toEqual({ limit: 5, provider: 'groq', from: new Date(2026, 11, 6).getTime(), jobId: 'miux12ab' });
    expect(historyQuery({ ...none, status: 'failed' }, 5).status).toBe('failed');
  });
});

describe('historySort', () => {
  it('is newest first by default and reads a column from the URL', () => {
    expect(historySort(none)).toEqual({ key: 'when', dir: 'desc' });
    expect(historySort({ ...none, sort: 'keys' })).toEqual({ key: 'keys', dir: 'asc' });
  });
});
