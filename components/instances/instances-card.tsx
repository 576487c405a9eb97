'use client';

import { ErrorMessage } from '~/components/common/error-message';
import { useNow } from '~/components/common/use-now';
import { describeInstance, instanceName } from './instance-words';
import { useInstances } from './use-instances';

/** The instances and gateways that would confirm a job now (live heartbeat), this one marked. */
export function InstancesCard() {
  const { query, instances } = useInstances();
  const now = useNow(1_000);
  return (
    <section className="card instances" aria-labelledby="instances-heading">
      <h2 id="instances-heading" className="section-title">
        Live instances
      </h2>
      {query.error && !query.data ? (
        <ErrorMessage error={query.error} title="Could not load the live instances" onRetry={() => void query.refetch()} />
      ) : query.isPending ? (
        <p role="status" className="loading">
          Loading the live instances…
        </p>
      ) : instances.length === 0 ? (
        <p className="empty">No live instance: none has sent a heartbeat lately, so a job now would have nobody to confirm it.</p>
      ) : (
        <ul className="instance-list" aria-label="Live instances">
          {instances.map((i) => (
            <li key={i.id} aria-label={i.self ? `${instanceName(i.id)} (this instance)` : instanceName(i.id)}>
              <p className="instance-id" title={`Instance id ${i.id}`}>
                <strong>{instanceName(i.id)}</strong>
                {i.self ? <span className="badge badge-info">This instance</span> : null}
              </p>
              <p className="muted instance-meta">{describeInstance(i, now)}</p>
            </li>
          ))}
        </ul>
      )}
      {query.error && query.data ? <p className="muted">Could not refresh: showing what was live at the last answer.</p> : null}
    </section>
  );
}
