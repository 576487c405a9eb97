import type { Sort, SortDir } from './sort';

interface Props<K extends string> {
  label: string;
  column: K;
  sort: Sort<K>;
  onSort(column: K): void;
  className?: string;
}

const ARIA: Record<SortDir, 'ascending' | 'descending'> = { asc: 'ascending', desc: 'descending' };

/** A column header that sorts: a button named "Sort by <label>", `aria-sort` on the sorted column, an arrow that says which way. */
export function SortHeader<K extends string>({ label, column, sort, onSort, className }: Props<K>) {
  const active = sort.key === column;
  return (
    <th scope="col" className={className} aria-sort={active ? ARIA[sort.dir] : undefined}>
      {/* Named by its content, not aria-label: a filter labelled like the column ("Status") stays the only field of that label. */}
      <button type="button" className="sort-button" onClick={() => onSort(column)}>
        <span className="sr-only">Sort by </span>
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}
