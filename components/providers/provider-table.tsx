'use client';

import { useEffect, useRef } from 'react';
import { nextSort } from '~/components/common/sort';
import { SortHeader } from '~/components/common/sort-header';
import { useNow } from '~/components/common/use-now';
import { inScope } from '~/server/identity/level-schema';
import { ProviderRow } from './provider-row';
import { BY_NAME, providerSort, STATE_FILTERS, type ProviderParams, type ProviderSortKey, type StateFilter } from './provider-view-state';
import { formatSort } from '~/components/common/sort';
import type { ProviderRowData } from './use-providers';

interface Props {
  providers: ProviderRowData[];
  params: ProviderParams;
  onParams(changed: Partial<ProviderParams>): void;
  selected: ReadonlySet<string>;
  busy: { all: string | null; byName: Map<string, string> };
  fetchedAt: number;
  onToggle(name: string, on: boolean): void;
  onToggleMany(names: string[], on: boolean): void;
  /** Absent for viewers. */
  onInvalidate?(name: string): void;
  /** A scoped credential's providers (null: every provider): only these can be selected and invalidated. */
  scope: string[] | null;
}

/** Each column and the key it sorts by (the cache column has the state filter instead). */
const COLUMNS: { label: string; sort?: ProviderSortKey; num?: boolean; first?: 'asc' | 'desc' }[] = [
  { label: 'Provider', sort: 'name' },
  { label: 'Cache' },
  { label: 'Keys', sort: 'keys', num: true, first: 'desc' },
  { label: 'Models', sort: 'models', num: true, first: 'desc' },
  { label: 'TTL left', sort: 'ttl', num: true },
  { label: 'Cached', sort: 'cached', first: 'desc' },
];

export function ProviderTable({ providers, params, onParams, selected, busy, fetchedAt, onToggle, onToggleMany, onInvalidate, scope }: Props) {
  const now = useNow(10_000);
  const sort = providerSort(params);
  const state = params.state in STATE_FILTERS ? STATE_FILTERS[params.state as StateFilter].label : null;
  const onSort = (key: ProviderSortKey, first?: 'asc' | 'desc') => onParams({ sort: formatSort(nextSort(sort, key, first), BY_NAME) });
  const names = providers.map((p) => p.name).filter((name) => inScope(scope, name));
  const ticked = names.filter((n) => selected.has(n)).length;
  const all = useRef<HTMLInputElement>(null);
  // A viewer acts on nothing: no checkbox gutter, no empty actions column.
  const acts = onInvalidate !== undefined;
  useEffect(() => {
    if (all.current) all.current.indeterminate = ticked > 0 && ticked < names.length;
  }, [ticked, names.length]);

  return (
    <div className="table-scroll">
      <table className={acts ? 'table table-providers' : 'table table-providers table-read-only'}>
        <caption className="sr-only">Providers and the state of their catalog cache</caption>
        <thead>
          <tr>
            {acts ? (
              <th scope="col" className="col-check">
                <input
                  ref={all}
                  type="checkbox"
                  aria-label="Select all shown providers"
                  checked={names.length > 0 && ticked === names.length}
                  disabled={names.length === 0}
                  onChange={(e) => onToggleMany(names, e.target.checked)}
                />
              </th>
            ) : null}
            {COLUMNS.map((c) =>
              c.sort ? (
                <SortHeader key={c.label} label={c.label} column={c.sort} sort={sort} onSort={(key) => onSort(key, c.first)} className={c.num ? 'num' : undefined} />
              ) : (
                <th key={c.label} scope="col">
                  {c.label}
                </th>
              ),
            )}
            {acts ? (
              <th scope="col" className="col-action">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {providers.length === 0 ? (
            <tr>
              <td colSpan={COLUMNS.length + (acts ? 2 : 0)} className="empty">
                {params.q ? `No provider matches “${params.q}”${state ? ` in state “${state}”` : ''}.` : state ? `No provider is in state “${state}”.` : 'No providers are configured.'}
              </td>
            </tr>
          ) : (
            providers.map((p) => (
              <ProviderRow
                key={p.name}
                provider={p}
                selected={selected.has(p.name)}
                busy={busy.byName.get(p.name) ?? busy.all}
                age={Math.max(0, now - fetchedAt)}
                now={now}
                onToggle={onToggle}
                acts={acts}
                onInvalidate={inScope(scope, p.name) ? onInvalidate : undefined}
              />
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
