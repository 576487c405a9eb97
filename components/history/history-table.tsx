'use client';

import { nextSort, type Sort } from '~/components/common/sort';
import { SortHeader } from '~/components/common/sort-header';
import { useNow } from '~/components/common/use-now';
import type { HistorySortKey } from './history-query';
import { HistoryRow } from './history-row';
import type { HistoryItem } from './use-history';

/** Each column, and the key it sorts by (none for the job id, scope and error). */
const COLUMNS: { label: string; sort?: HistorySortKey; num?: boolean; first?: 'asc' | 'desc' }[] = [
  { label: 'When', sort: 'when', first: 'desc' },
  { label: 'Job' },
  { label: 'By', sort: 'by' },
  { label: 'Scope and cache type' },
  { label: 'Status', sort: 'status' },
  { label: 'Keys deleted or marked stale', sort: 'keys', num: true, first: 'desc' },
  { label: 'Duration', sort: 'duration', num: true, first: 'desc' },
  { label: 'Error' },
];

const ORDER: Record<HistorySortKey, string> = { when: 'by time', by: 'by who ran them', status: 'by status', keys: 'by keys deleted or marked stale', duration: 'by duration' };

interface Props {
  items: HistoryItem[];
  filtered: boolean;
  sort: Sort<HistorySortKey>;
  onSort(sort: Sort<HistorySortKey>): void;
}

export function HistoryTable({ items, filtered, sort, onSort }: Props) {
  const now = useNow(30_000);
  const newestFirst = sort.key === 'when' && sort.dir === 'desc';
  return (
    <div className="table-scroll">
      <table className="table table-cards table-history">
        <caption className="sr-only">Invalidation jobs, {newestFirst ? 'newest first' : `${ORDER[sort.key]}, ${sort.dir === 'asc' ? 'ascending' : 'descending'}`}</caption>
        <thead>
          <tr>
            {COLUMNS.map((c) =>
              c.sort ? (
                <SortHeader key={c.label} label={c.label} column={c.sort} sort={sort} onSort={(key) => onSort(nextSort(sort, key, c.first))} className={c.num ? 'num' : undefined} />
              ) : (
                <th key={c.label} scope="col" className={c.num ? 'num' : undefined}>
                  {c.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {items.length === 0 ? (
            <tr>
              <td colSpan={COLUMNS.length} className="empty">
                {filtered ? 'No job matches these filters.' : 'No invalidation has run yet.'}
              </td>
            </tr>
          ) : (
            items.map((job) => <HistoryRow key={job.id} job={job} now={now} />)
          )}
        </tbody>
      </table>
    </div>
  );
}
