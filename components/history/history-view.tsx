'use client';

import { ErrorMessage } from '~/components/common/error-message';
import { plural } from '~/components/common/format';
import { HistoryCharts } from './history-charts';
import { HistoryFilterBar } from './history-filters';
import { HistoryTable } from './history-table';
import { useHistory } from './use-history';

/** Every invalidation job, newest first, filterable, one cursor page at a time. */
export function HistoryView() {
  const { query, items, loaded, filters, setFilters, sort, setSort, providerNames } = useHistory();
  const filtered = Boolean(filters.provider || filters.status || filters.from || filters.to || filters.job);
  return (
    <section aria-labelledby="history-heading">
      <div className="page-head">
        <h1 id="history-heading">History</h1>
        <p className="muted">Every invalidation, who ran it and what it deleted. Kept for the retention period.</p>
      </div>
      <HistoryFilterBar filters={filters} providerNames={providerNames} onChange={setFilters} />
      {query.isPending ? (
        <p role="status" className="loading">
          Loading history…
        </p>
      ) : query.error && !query.data ? (
        <ErrorMessage error={query.error} title="Could not load the history" onRetry={() => void query.refetch()} />
      ) : (
        <>
          <HistoryCharts items={loaded} />
          <HistoryTable items={items} filtered={filtered} sort={sort} onSort={setSort} />
          {query.error ? <ErrorMessage error={query.error} title="Could not load more" onRetry={() => void query.fetchNextPage()} /> : null}
          <div className="pager">
            <span className="muted" role="status">
              Showing {plural(items.length, 'job')}
              {query.hasNextPage ? '' : items.length ? ' (all of them)' : ''}
            </span>
            {query.hasNextPage ? (
              <button type="button" className="button" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
                {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            ) : null}
          </div>
        </>
      )}
    </section>
  );
}
