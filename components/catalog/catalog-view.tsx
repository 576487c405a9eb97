'use client';

import { ErrorMessage } from '~/components/common/error-message';
import { useNow } from '~/components/common/use-now';
import { JobList } from '~/components/jobs/job-list';
import { useBusyProviders, useTrackedJobs } from '~/components/jobs/use-jobs';
import { inScope } from '~/server/identity/level-schema';
import { ProviderCatalog } from './provider-catalog';
import { useCatalog } from './use-catalog';
import { useOverrides } from './use-overrides';

/**
 * What readers get now, per provider. "Refresh" runs a soft invalidation with refresh for that
 * provider: readers keep the current copy until the source's answer is verified, and the job panel
 * shows what changed.
 */
/**
 * `scope`: a scoped credential's providers (null: every provider); only those get a Refresh button.
 * `canOverride`: an admin's, who gets each model's override form.
 */
export function CatalogView({ canRefresh, canOverride = false, scope }: { canRefresh: boolean; canOverride?: boolean; scope: string[] | null }) {
  const { query, visible, search, setSearch, refresh } = useCatalog();
  const overrides = useOverrides();
  const jobs = useTrackedJobs();
  const busy = useBusyProviders(jobs);
  const now = useNow(10_000);

  return (
    <div className="providers-layout">
      <section className="providers-main" aria-labelledby="catalog-heading">
        <div className="page-head">
          <h1 id="catalog-heading">Catalog</h1>
          <p className="muted">The models each provider has in the cache now, as readers get them.</p>
        </div>
        <div className="toolbar">
          <input type="search" className="input search" placeholder="Provider or model" aria-label="Search catalog" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        {query.error && !query.data ? (
          <ErrorMessage error={query.error} title="Could not load the catalog" onRetry={() => void query.refetch()} />
        ) : query.isPending ? (
          <p role="status" className="loading">
            Loading the catalog…
          </p>
        ) : visible.length === 0 ? (
          <p className="empty">{search ? `No provider or model matches “${search}”.` : 'No providers are configured.'}</p>
        ) : (
          visible.map(({ entry, models, modelMatch }) => (
            <ProviderCatalog key={entry.provider} entry={entry} models={models} open={modelMatch} now={now} busy={busy.byName.get(entry.provider) ?? busy.all} onRefresh={canRefresh && inScope(scope, entry.provider) ? refresh : null}
              pinned={overrides.byProvider.get(entry.provider)}
              overrides={canOverride ? overrides : null}
            />
          ))
        )}
      </section>
      {/* Everyone's jobs, live: a viewer refreshes nothing but sees them too. */}
      <aside className="providers-jobs">
        <JobList jobs={jobs} />
      </aside>
    </div>
  );
}
