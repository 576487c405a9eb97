import Link from 'next/link';
import { formatMs } from '~/components/common/format';
import { StatusBadge } from '~/components/common/status-badge';
import { isSoft } from '~/components/jobs/outcome-words';
import { describeCache, describeScope } from './scope';
import type { HistoryItem } from './use-history';
import { Time } from '~/components/common/time';

export function HistoryRow({ job, now }: { job: HistoryItem; now: number }) {
  const scope = describeScope(job.request.providers);
  return (
    <tr>
      <td className="nowrap">
        <Time at={job.createdAt} />
        <Time at={job.createdAt} now={now} className="sub" />
      </td>
      <th scope="row" className="nowrap">
        <Link href={`/history/${job.id}`} className="job-link" aria-label={`Job ${job.id}`}>
          <code>{job.id}</code>
        </Link>
      </th>
      <td className="nowrap" data-label="By">
        {job.actor.label}
        {job.joined ? <span className="sub">+{job.joined} joined</span> : null}
      </td>
      <td className="col-scope">
        <span title={scope.full}>{scope.short}</span>
        <span className="sub">{describeCache(job.request)}</span>
      </td>
      <td>
        <StatusBadge status={job.status} />
      </td>
      <td className="num" data-label={job.result && isSoft(job.result, job.request.mode) ? 'Keys' : 'Keys deleted'}>
        {job.result ? <KeysCell result={job.result} mode={job.request.mode} /> : <span className="muted">—</span>}
      </td>
      <td className="num nowrap" data-label="Duration">{job.result ? formatMs(job.result.durationMs) : <span className="muted">—</span>}</td>
      <td className="col-error">{job.error ? <span title={job.error.message}>{job.error.message}</span> : <span className="muted">—</span>}</td>
    </tr>
  );
}

/** A delete job's keys deleted; a soft job's keys marked stale first (never a bare 0), its deletions beside them. */
function KeysCell({ result, mode }: { result: NonNullable<HistoryItem['result']>; mode: 'delete' | 'soft' }) {
  if (!isSoft(result, mode)) return <>{result.keysDeleted}</>;
  return (
    <>
      {result.keysMarkedStale ?? 0} marked stale
      <span className="sub">{result.keysDeleted} deleted</span>
    </>
  );
}
