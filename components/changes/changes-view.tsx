'use client';

import { useMemo } from 'react';
import { ErrorMessage } from '~/components/common/error-message';
import { plural } from '~/components/common/format';
import { ChangesFilterBar } from './changes-filters';
import { ChangesTable } from './changes-table';
import { useChanges } from './use-changes';
import { useNewMarks } from './use-seen';

/** The catalog's own history: every published change, model by model, filterable, one cursor page at a time. */
export function ChangesView() {
  const { query, items, filters, setFilters, providerNames, retentionDays } = useChanges();
  const addedIds = useMemo(() => items.filter((c) => c.kind === 'added').map((c) => c.id), [items]);
  const marked = useNewMarks(addedIds);
  return (
    <section aria-labelledby="changes-heading">
      <div className="page-head">
        <h1 id="changes-heading">Changes</h1>
        <p className="muted">
          Every change a refresh, a rebuild or an approval published, model by model
          {retentionDays ? `, kept ${plural(retentionDays, 'day')}` : ''}. New models are marked until this browser has shown them.
        </p>
      </div>
      <ChangesFilterBar filters={filters} providerNames={providerNames} onChange={setFilters} />
      {query.isPending ? (
        <p role="status" className="loading">
          Loading changes…
        </p>
      ) : query.error && !query.data ? (
        <ErrorMessage error={query.error} title="Could not load the changes" onRetry={() => void query.refetch()} />
      ) : (
        <>
          <ChangesTable items={items} filtered={Boolean(filters.provider || filters.kind)} marked={marked} />
          {query.error ? <ErrorMessage error={query.error} title="Could not load more" onRetry={() => void query.fetchNextPage()} /> : null}
          <div className="pager">
            <span className="muted" role="status">
              Showing {plural(items.length, 'change')}
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
