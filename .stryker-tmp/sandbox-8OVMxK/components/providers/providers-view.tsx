// @ts-nocheck
'use client';

import { useCallback, useState } from 'react';
import { ErrorMessage } from '~/components/common/error-message';
import { JobList } from '~/components/jobs/job-list';
import { useBusyProviders, useStartInvalidation, useTrackedJobs } from '~/components/jobs/use-jobs';
import { InvalidateAllDialog, type InvalidateAllChoice } from './invalidate-all-dialog';
import { ProviderStats } from './provider-stats';
import { ProviderTable } from './provider-table';
import { ProviderToolbar } from './provider-toolbar';
import { useProviders } from './use-providers';
import { useSelection } from './use-selection';

/** The providers page: cache state per provider, invalidation actions and this tab's live jobs. */
export function ProvidersView() {
  const { query, providers, visible, search, setSearch } = useProviders();
  const { selected, toggle, setMany, clear } = useSelection();
  const jobs = useTrackedJobs();
  const busy = useBusyProviders(jobs);
  const start = useStartInvalidation();
  const [confirming, setConfirming] = useState(false);

  const invalidateOne = useCallback((name: string) => start({ providers: [name] }), [start]);
  const chosen = providers.filter((p) => selected.has(p.name)).map((p) => p.name);
  const invalidateSelected = () => {
    start({ providers: chosen });
    clear();
  };
  const invalidateAll = (choice: InvalidateAllChoice) => {
    setConfirming(false);
    start({ providers: 'all', ...choice });
  };

  return (
    <div className="providers-layout">
      <section className="providers-main" aria-labelledby="providers-heading">
        <div className="page-head">
          <h1 id="providers-heading">Providers</h1>
          <p className="muted">The model catalog each provider has in the gateway&apos;s Redis cache.</p>
        </div>
        {query.data ? <ProviderStats providers={providers} /> : <div className="stats-placeholder" aria-hidden="true" />}
        <ProviderToolbar
          search={search}
          onSearch={setSearch}
          selectedCount={chosen.length}
          disabled={!query.data}
          onInvalidateSelected={invalidateSelected}
          onInvalidateAll={() => setConfirming(true)}
        />
        {query.error && !query.data ? (
          <ErrorMessage error={query.error} title="Could not load providers" onRetry={() => void query.refetch()} />
        ) : query.isPending ? (
          <p role="status" className="loading">
            Loading providers…
          </p>
        ) : (
          <>
            {query.error ? <ErrorMessage error={query.error} title="Could not refresh providers" onRetry={() => void query.refetch()} /> : null}
            <ProviderTable
              providers={visible}
              search={search}
              selected={selected}
              busy={busy}
              fetchedAt={query.dataUpdatedAt}
              onToggle={toggle}
              onToggleMany={setMany}
              onInvalidate={invalidateOne}
            />
          </>
        )}
      </section>
      <aside className="providers-jobs">
        <JobList jobs={jobs} />
      </aside>
      <InvalidateAllDialog open={confirming} providerCount={providers.length} onConfirm={invalidateAll} onClose={() => setConfirming(false)} />
    </div>
  );
}
