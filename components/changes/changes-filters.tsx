import { CHANGE_KINDS } from '~/server/catalog/history/schema';
import type { ChangesFilters } from './use-changes';

export const KIND_WORDS = { added: 'Added', removed: 'Removed', price: 'Price', other: 'Other change' } as const;

interface Props {
  filters: ChangesFilters;
  providerNames: readonly string[];
  onChange(filters: ChangesFilters): void;
}

export function ChangesFilterBar({ filters, providerNames, onChange }: Props) {
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
        <span>Kind</span>
        <select className="input" value={filters.kind} onChange={(e) => onChange({ ...filters, kind: e.target.value as ChangesFilters['kind'] })}>
          <option value="">Any kind</option>
          {CHANGE_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_WORDS[k]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
