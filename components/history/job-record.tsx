import type { ReactNode } from 'react';
import { formatMs } from '~/components/common/format';
import { StatusBadge } from '~/components/common/status-badge';
import { completedWords, keyCounts } from '~/components/jobs/outcome-words';
import type { JobRecord } from '~/server/invalidation/schema';
import { describeCache, describeScope } from './scope';
import { Time } from '~/components/common/time';

const when = (at: number | null) => (at === null ? '—' : <Time at={at} />);

const VIA = { trpc: 'panel / tRPC', rest: 'REST', schedule: 'schedule' } as const;

/** Everyone whose request this job serves: its creator, then each request that joined it before it ran. */
function Askers({ record }: { record: JobRecord }) {
  const unlisted = record.joined + 1 - record.askers.length;
  return (
    <ul className="askers" aria-label="Asked by">
      {record.askers.map((asker, i) => (
        <li key={i}>
          {asker.actor.label} <span className="muted">({VIA[asker.via]}, <Time at={asker.at} />)</span>
        </li>
      ))}
      {unlisted > 0 ? <li className="muted">and {unlisted} more</li> : null}
    </ul>
  );
}

/** The stored record of a job, as a definition list. */
export function JobRecordCard({ record, status }: { record: JobRecord; status: string }) {
  const rows: [string, ReactNode][] = [
    ['Status', <StatusBadge key="s" status={status} />],
    ['Scope', describeScope(record.request.providers).full],
    ['Cache type', describeCache(record.request)],
    ['Mode', record.request.mode === 'soft' ? 'soft (marked stale, served while rebuilt)' : 'delete'],
    ...(record.result && status === 'completed' ? ([['Outcome', completedWords(record.result, record.request.mode)]] as [string, ReactNode][]) : []),
    ['Requested by', record.actor.label],
    ['Asked by', <Askers key="a" record={record} />],
    ['Providers', String(record.providersTotal)],
    ['Created', when(record.createdAt)],
    ['Started', when(record.startedAt)],
    ['Finished', when(record.finishedAt)],
    ['Providers invalidated', record.result ? String(record.result.providersInvalidated) : '—'],
    ['Keys deleted', record.result ? String(record.result.keysDeleted) : '—'],
    ...(record.request.mode === 'soft' && record.result ? ([['Keys marked stale', String(record.result.keysMarkedStale ?? 0)]] as [string, ReactNode][]) : []),
    ...(record.result?.takenOver
      ? ([['Taken over', `by ${record.result.takenOver.by} from ${record.result.takenOver.from} (attempt ${record.result.takenOver.attempt}), whose lease expired`]] as [string, ReactNode][])
      : []),
    ['Duration', record.result ? formatMs(record.result.durationMs) : '—'],
  ];
  return (
    <section className="card" aria-labelledby="record-heading">
      <h2 id="record-heading" className="section-title">
        Record
      </h2>
      <dl className="record">
        {rows.map(([label, value]) => (
          <div key={label} className="record-row">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {record.result?.plannedKeys ? <PlannedKeys listed={record.result.plannedKeys} soft={record.request.mode === 'soft'} counts={keyCounts(record.result, record.request.mode)} /> : null}
      {record.error ? (
        <div role="alert" className="notice notice-error">
          <p className="notice-title">The job failed</p>
          <p>{record.error.message}</p>
          {record.error.commandErrors.length ? (
            <ul className="command-errors">
              {record.error.commandErrors.map((c, i) => (
                <li key={i}>
                  <code>
                    {c.command} {c.keys.join(' ')}
                  </code>
                  : {c.error}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/**
 * The keys the job sent to Redis, from its result (the first LISTED_KEYS of them; server/invalidation/plan.ts).
 * A key that did not exist then is listed too: UNLINK answers only how many it removed.
 */
function PlannedKeys({ listed, soft, counts }: { listed: { keys: string[]; total: number }; soft: boolean; counts: string }) {
  const verb = soft ? 'marked stale (or deleted, for the full catalog)' : 'deleted';
  return (
    <details className="preview-list planned-keys">
      <summary>
        Keys sent to Redis ({listed.total}): {counts}
      </summary>
      <p className="muted">
        The keys this job {verb}, as it planned them; any that did not exist then had nothing to remove. Per-model keys are counted, not listed.
        {listed.total > listed.keys.length ? ` The first ${listed.keys.length} of ${listed.total} are kept.` : ''}
      </p>
      <ul aria-label="Keys sent to Redis">
        {listed.keys.map((key) => (
          <li key={key}>
            <code>{key}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}
