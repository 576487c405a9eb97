import { timeZoneName } from '~/components/common/format';
import type { JobStatus } from '~/server/invalidation/schema';
import type { HistoryParams } from './history-query';

const STATUSES: JobStatus[] = ['queued', 'running', 'completed', 'failed'];

interface Props {
  filters: HistoryParams;
  providerNames: readonly string[];
  onChange(changed: Partial<HistoryParams>): void;
}

/** Provider, status, a date range (whole days in the viewer's zone) and a job-id search; all kept in the URL. */
export function HistoryFilterBar({ filters, providerNames, onChange }: Props) {
  const zone = timeZoneName();
  return (
    <div className="toolbar filters" role="search" aria-label="Filter the history">
      <label className="field-inline">
        <span>Job id</span>
        <input type="search" className="input input-job" placeholder="Part of a job id" value={filters.job} onChange={(e) => onChange({ job: e.target.value })} />
      </label>
      <label className="field-inline">
        <span>Provider</span>
        <select className="input" value={filters.provider} onChange={(e) => onChange({ provider: e.target.value })}>
          <option value="">All providers</option>
          {providerNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label className="field-inline">
        <span>Status</span>
        <select className="input" value={filters.status} onChange={(e) => onChange({ status: e.target.value })}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s[0]?.toUpperCase() + s.slice(1)}
            </option>
          ))}
        </select>
      </label>
      <label className="field-inline">
        <span>From</span>
        <input type="date" className="input" value={filters.from} max={filters.to || undefined} onChange={(e) => onChange({ from: e.target.value })} />
      </label>
      <label className="field-inline">
        <span>To</span>
        <input type="date" className="input" value={filters.to} min={filters.from || undefined} onChange={(e) => onChange({ to: e.target.value })} />
      </label>
      {/* The server may render in another zone than the browser's: the browser's words win. */}
      <span className="muted filters-zone" suppressHydrationWarning>
        Days and times in {zone}
      </span>
      {Object.entries(filters).some(([k, v]) => k !== 'sort' && v) ? (
        <button type="button" className="button button-small" onClick={() => onChange({ provider: '', status: '', from: '', to: '', job: '' })}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
