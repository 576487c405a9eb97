'use client';

import { useNow } from '~/components/common/use-now';
import { HistoryRow } from './history-row';
import type { HistoryItem } from './use-history';

const COLUMNS = ['When', 'Job', 'By', 'Scope and cache type', 'Status', 'Keys deleted or marked stale', 'Duration', 'Error'];
const NUMERIC = new Set(['Keys deleted or marked stale', 'Duration']);

export function HistoryTable({ items, filtered }: { items: HistoryItem[]; filtered: boolean }) {
  const now = useNow(30_000);
  return (
    <div className="table-scroll">
      <table className="table">
        <caption className="sr-only">Invalidation jobs, newest first</caption>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c} scope="col" className={NUMERIC.has(c) ? 'num' : undefined}>
                {c}
              </th>
            ))}
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
