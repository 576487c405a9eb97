import { STATE_FILTERS, type ProviderParams } from './provider-view-state';

interface Props {
  params: ProviderParams;
  onParams(changed: Partial<ProviderParams>): void;
  selectedCount: number;
  disabled: boolean;
  onInvalidateSelected(): void;
  onInvalidateAll(): void;
  /** Viewers get the search box only. */
  canInvalidate: boolean;
  /** "all" needs an unscoped credential. */
  canInvalidateAll: boolean;
}

export function ProviderToolbar({ params, onParams, selectedCount, disabled, onInvalidateSelected, onInvalidateAll, canInvalidate, canInvalidateAll }: Props) {
  return (
    <div className="toolbar">
      <input
        type="search"
        className="input search"
        placeholder="Filter by name"
        aria-label="Search providers"
        value={params.q}
        onChange={(e) => onParams({ q: e.target.value })}
      />
      <label className="field-inline">
        <span>State</span>
        <select className="input" value={params.state} onChange={(e) => onParams({ state: e.target.value })}>
          <option value="">Any state</option>
          {Object.entries(STATE_FILTERS).map(([value, f]) => (
            <option key={value} value={value}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      {canInvalidate ? (
      <div className="toolbar-actions">
        <button type="button" className="button" disabled={disabled || selectedCount === 0} onClick={onInvalidateSelected}>
          Invalidate selected ({selectedCount})
        </button>
        {canInvalidateAll ? (
          <button type="button" className="button button-danger" disabled={disabled} onClick={onInvalidateAll}>
            Invalidate all
          </button>
        ) : null}
      </div>
      ) : (
        <p className="muted toolbar-note">Read-only: a viewer sees every cache and job, and changes nothing. Invalidating needs the operator or admin role.</p>
      )}
    </div>
  );
}
