// @ts-nocheck
import type { JobStatus } from '~/server/invalidation/schema';
import type { HistoryFilters } from './use-history';

const STATUSES: JobStatus[] = ['queued', 'running', 'completed', 'failed'];

interface Props {
  filters: HistoryFilters;
  providerNames: readonly string[];
  onChange(filters: HistoryFilters): void;
}

export function HistoryFilterBar({ filters, providerNames, onChange }: Props) {
  return (
    <div className="toolbar filters">
      <label className="field-inline">
        <span>Provider</span>
        <select className="input" value={filters.provider} onChange={(e) => onChange({ ...filters, provider: e.target.value })}>
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
        <select className="input" value={filters.status} onChange={(e) => onChange({ ...filters, status: e.target.value as HistoryFilters['status'] })}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s[0]?.toUpperCase() + s.slice(1)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
