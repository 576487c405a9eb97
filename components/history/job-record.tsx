import type { ReactNode } from 'react';
import { formatDateTime, formatMs } from '~/components/common/format';
import { StatusBadge } from '~/components/common/status-badge';
import type { JobRecord } from '~/server/invalidation/schema';
import { describeCache, describeScope } from './scope';

const when = (at: number | null) => (at === null ? '—' : formatDateTime(at));

/** The stored record of a job, as a definition list. */
export function JobRecordCard({ record, status }: { record: JobRecord; status: string }) {
  const rows: [string, ReactNode][] = [
    ['Status', <StatusBadge key="s" status={status} />],
    ['Scope', describeScope(record.request.providers).full],
    ['Cache type', describeCache(record.request)],
    ["Requested by", record.actor.label],
    ['Providers', String(record.providersTotal)],
    ['Created', when(record.createdAt)],
    ['Started', when(record.startedAt)],
    ['Finished', when(record.finishedAt)],
    ['Providers invalidated', record.result ? String(record.result.providersInvalidated) : '—'],
    ['Keys deleted', record.result ? String(record.result.keysDeleted) : '—'],
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
