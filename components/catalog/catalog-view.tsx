'use client';

import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { ErrorMessage } from '~/components/common/error-message';
import { useNow } from '~/components/common/use-now';
import { JobList } from '~/components/jobs/job-list';
import { useBusyProviders, useStartInvalidation, useTrackedJobs } from '~/components/jobs/use-jobs';
import { useTRPC } from '~/components/trpc/client';
import { ProviderCatalog } from './provider-catalog';

/**
 * What readers get now, per provider. "Refresh" runs a soft invalidation with refresh for that
 * provider: readers keep the current copy until the source's answer is verified, and the job panel
 * shows what changed.
 */
export function CatalogView({ canRefresh }: { canRefresh: boolean }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.providers.catalog.queryOptions(undefined, { refetchOnWindowFocus: true }));
  const jobs = useTrackedJobs();
  const busy = useBusyProviders(jobs);
  const start = useStartInvalidation();
  const now = useNow(10_000);
  const [search, setSearch] = useState('');
  const refresh = useCallback((provider: string) => start({ providers: [provider], mode: 'soft', cacheType: 'models', cascade: true, refresh: true }), [start]);
  const visible = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const all = query.data ?? [];
    return needle ? all.filter((e) => e.provider.includes(needle) || e.displayName.toLowerCase().includes(needle)) : all;
  }, [query.data, search]);

  return (
    <div className="providers-layout">
      <section className="providers-main" aria-labelledby="catalog-heading">
        <div className="page-head">
          <h1 id="catalog-heading">Catalog</h1>
          <p className="muted">The models each provider has in the cache now, as readers get them.</p>
        </div>
        <div className="toolbar">
          <input type="search" className="input search" placeholder="Filter by name" aria-label="Search catalog" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        {query.error && !query.data ? (
          <ErrorMessage error={query.error} title="Could not load the catalog" onRetry={() => void query.refetch()} />
        ) : query.isPending ? (
          <p role="status" className="loading">
            Loading the catalog…
          </p>
        ) : visible.length === 0 ? (
          <p className="empty">{search ? `No provider matches “${search}”.` : 'No providers are configured.'}</p>
        ) : (
          visible.map((entry) => (
            <ProviderCatalog key={entry.provider} entry={entry} now={now} busy={busy.byName.get(entry.provider) ?? busy.all} onRefresh={canRefresh ? refresh : null} />
          ))
        )}
      </section>
      {/* A viewer refreshes nothing, so it has no job panel to watch. */}
      {canRefresh ? (
        <aside className="providers-jobs">
          <JobList jobs={jobs} />
        </aside>
      ) : null}
    </div>
  );
}
