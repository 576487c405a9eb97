'use client';

import { useEffect, useRef } from 'react';
import { useNow } from '~/components/common/use-now';
import { inScope } from '~/server/identity/level-schema';
import { ProviderRow } from './provider-row';
import type { ProviderRowData } from './use-providers';

interface Props {
  providers: ProviderRowData[];
  search: string;
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

const COLUMNS = ['Provider', 'Cache', 'Keys', 'Models', 'TTL left', 'Cached'];

export function ProviderTable({ providers, search, selected, busy, fetchedAt, onToggle, onToggleMany, onInvalidate, scope }: Props) {
  const now = useNow(10_000);
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
            {COLUMNS.map((c) => (
              <th key={c} scope="col" className={c === 'Keys' || c === 'Models' || c === 'TTL left' ? 'num' : undefined}>
                {c}
              </th>
            ))}
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
                {search ? `No provider matches “${search}”.` : 'No providers are configured.'}
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
