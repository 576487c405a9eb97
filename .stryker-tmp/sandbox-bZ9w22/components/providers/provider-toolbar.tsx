// @ts-nocheck
interface Props {
  search: string;
  onSearch(value: string): void;
  selectedCount: number;
  disabled: boolean;
  onInvalidateSelected(): void;
  onInvalidateAll(): void;
}

export function ProviderToolbar({ search, onSearch, selectedCount, disabled, onInvalidateSelected, onInvalidateAll }: Props) {
  return (
    <div className="toolbar">
      <input
        type="search"
        className="input search"
        placeholder="Filter by name"
        aria-label="Search providers"
        value={search}
        onChange={(e) => onSearch(e.target.value)}
      />
      <div className="toolbar-actions">
        <button type="button" className="button" disabled={disabled || selectedCount === 0} onClick={onInvalidateSelected}>
          Invalidate selected ({selectedCount})
        </button>
        <button type="button" className="button button-danger" disabled={disabled} onClick={onInvalidateAll}>
          Invalidate all
        </button>
      </div>
    </div>
  );
}
