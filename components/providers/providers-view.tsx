'use client';

import { useCallback, useState } from 'react';
import { ErrorMessage } from '~/components/common/error-message';
import { InstancesCard } from '~/components/instances/instances-card';
import { JobList } from '~/components/jobs/job-list';
import { useBusyProviders, useStartInvalidation, useTrackedJobs } from '~/components/jobs/use-jobs';
import type { Scope } from '~/components/jobs/job-store';
import { InvalidateDialog, type InvalidateChoice } from './invalidate-dialog';
import { ProviderStats } from './provider-stats';
import { ProviderTable } from './provider-table';
import { ProviderToolbar } from './provider-toolbar';
import { useProviders } from './use-providers';
import { useRunAgain } from './use-run-again';
import { useSelection } from './use-selection';
import type { AppEnvironment } from '~/server/lib/environment';

/**
 * The providers page: cache state per provider, invalidation actions (operators and admins; a scoped
 * credential's on its providers only, and no "Invalidate all") and everyone's live jobs.
 */
export function ProvidersView({
  canInvalidate,
  scope,
  environment,
  again = null,
}: {
  canInvalidate: boolean;
  scope: string[] | null;
  environment: AppEnvironment | null;
  /** A job id to run again: its request opens the confirmation, prefilled. */
  again?: string | null;
}) {
  const { query, providers, visible, params, setParams } = useProviders();
  const { selected, toggle, setMany, clear } = useSelection();
  const jobs = useTrackedJobs();
  const busy = useBusyProviders(jobs);
  const start = useStartInvalidation();
  // Every invalidation goes through the dialog, which previews what it will touch.
  const [confirming, setConfirming] = useState<{ scope: Scope; fromSelection: boolean; preset?: InvalidateChoice } | null>(null);
  const runAgain = useRunAgain(again, canInvalidate);
  if (runAgain.pending && !confirming) {
    setConfirming({ scope: runAgain.pending.scope, fromSelection: false, preset: runAgain.pending.choice });
    runAgain.markOffered();
  }

  const invalidateOne = useCallback((name: string) => setConfirming({ scope: [name], fromSelection: false }), []);
  const chosen = providers.filter((p) => selected.has(p.name)).map((p) => p.name);
  const displayNames = new Map(providers.map((p) => [p.name, p.displayName]));
  const displayName = (slug: string) => displayNames.get(slug) ?? slug;
  const confirm = (scope: Scope, choice: InvalidateChoice) => {
    if (confirming?.fromSelection) clear();
    setConfirming(null);
    start({ providers: scope, ...choice });
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
          params={params}
          onParams={setParams}
          selectedCount={chosen.length}
          disabled={!query.data}
          onInvalidateSelected={() => setConfirming({ scope: chosen, fromSelection: true })}
          onInvalidateAll={() => setConfirming({ scope: 'all', fromSelection: false })}
          canInvalidate={canInvalidate}
          canInvalidateAll={canInvalidate && scope === null}
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
              params={params}
              onParams={setParams}
              selected={selected}
              busy={busy}
              fetchedAt={query.dataUpdatedAt}
              onToggle={toggle}
              onToggleMany={setMany}
              onInvalidate={canInvalidate ? invalidateOne : undefined}
              scope={scope}
            />
          </>
        )}
      </section>
      <aside className="providers-jobs">
        <InstancesCard />
        {/* Everyone's jobs, live: a viewer starts none but sees them too. */}
        <JobList jobs={jobs} />
      </aside>
      <InvalidateDialog
        scope={confirming?.scope ?? null}
        preset={confirming?.preset}
        providerCount={providers.length}
        displayName={displayName}
        environment={environment}
        onConfirm={confirm}
        onClose={() => setConfirming(null)}
      />
    </div>
  );
}
