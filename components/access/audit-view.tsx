'use client';

import Link from 'next/link';
import { ErrorMessage } from '~/components/common/error-message';
import { auditActions } from '~/server/audit/schema';
import { addressNote, detailLines } from './audit-words';
import { useAudit } from './use-audit';
import { ColumnHeads, EmptyRow } from '~/components/common/table-parts';
import { Time } from '~/components/common/time';

const OUTCOME_BADGE = { success: 'badge-ok', failure: 'badge-bad', refused: 'badge-bad' } as const;

/** Who did what, from where, and how it ended: filters, cursor pages and a JSON-lines export. */
export function AuditView() {
  const { query, items, filters, setFilters, exportUrl } = useAudit();
  return (
    <section aria-labelledby="audit-heading" className="access-page">
      <div className="page-head">
        <h1 id="audit-heading">Audit trail</h1>
        <p className="muted">Sign-ins, access changes, invalidations and refused calls. Append-only.</p>
      </div>
      <div className="toolbar">
        <input
          type="search"
          className="input search"
          aria-label="Filter by actor"
          placeholder="Actor (username or token name)"
          value={filters.actor}
          onChange={(e) => setFilters({ ...filters, actor: e.target.value })}
        />
        <select aria-label="Filter by action" className="input" value={filters.action} onChange={(e) => setFilters({ ...filters, action: e.target.value as typeof filters.action })}>
          <option value="">All actions</option>
          {auditActions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
        <a className="button" href={exportUrl} download>
          Export JSON lines
        </a>
      </div>
      {query.error ? <ErrorMessage error={query.error} title="Could not load the audit trail" onRetry={() => void query.refetch()} /> : null}
      {items.some((e) => addressNote(e.address)) ? (
        <p id="address-note" className="muted">
          An address marked “unverified” was claimed by the request (its X-Forwarded-For header) and no trusted proxy (TRUSTED_PROXIES) vouched for it: the
          client may have written anything there.
        </p>
      ) : null}
      <div className="table-scroll">
        <table className="table table-cards table-audit">
          <caption className="sr-only">Audit entries, newest first</caption>
          <ColumnHeads names={['Time', 'Actor', 'Action', 'Outcome', 'Target', 'Address', 'Details']} />
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>
                  <Time at={e.at} />
                </td>
                <td>{e.actorName}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  <span className={`badge ${OUTCOME_BADGE[e.outcome]}`}>{e.outcome}</span>
                </td>
                <td>{e.target ?? <span className="muted">—</span>}</td>
                <td>
                  <Address address={e.address} userAgent={e.userAgent} />
                </td>
                <td className="audit-details">
                  <Details details={e.details} />
                </td>
              </tr>
            ))}
            {query.data && items.length === 0 ? (
              <EmptyRow columns={7}>Nothing recorded matches.</EmptyRow>
            ) : null}
          </tbody>
        </table>
      </div>
      {query.hasNextPage ? (
        <button type="button" className="button" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
          Load more
        </button>
      ) : null}
    </section>
  );
}

/** The address; an unverified one points at the words above the table (and says them on hover), the user agent beside it on hover. */
function Address({ address, userAgent }: { address: string; userAgent: string }) {
  const note = addressNote(address);
  return (
    <span title={note ? `${note} ${userAgent}` : userAgent} aria-describedby={note ? 'address-note' : undefined}>
      {address}
    </span>
  );
}

/** `key: value` lines instead of raw JSON; a job id links to the job. */
function Details({ details }: { details: Record<string, unknown> }) {
  const lines = detailLines(details);
  if (!lines.length) return null;
  return (
    <dl className="audit-detail-list">
      {lines.map((line) => (
        <div key={line.key}>
          <dt>{line.key}:</dt>{' '}
          <dd>
            {line.jobId ? (
              <Link href={`/history/${line.jobId}`} aria-label={`Job ${line.jobId}`}>
                <code>{line.jobId}</code>
              </Link>
            ) : (
              line.value
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
