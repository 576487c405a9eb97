'use client';

import Link from 'next/link';
import { memo } from 'react';
import { formatSpan } from '~/components/common/format';
import { describeCache } from './provider-cache';
import type { ProviderRowData } from './use-providers';
import { Time } from '~/components/common/time';

interface Props {
  provider: ProviderRowData;
  selected: boolean;
  /** "Queued…"/"Running…" while a job of this tab covers the provider. */
  busy: string | null;
  /** Milliseconds since the list was fetched, to count TTLs down between fetches. */
  age: number;
  now: number;
  onToggle(name: string, on: boolean): void;
  /** The table has the checkbox and action columns (not for a viewer); a row out of a scoped caller's reach leaves them empty. */
  acts: boolean;
  /** Absent for viewers: no checkbox, no button (the server refuses them anyway). */
  onInvalidate?(name: string): void;
}

export const ProviderRow = memo(function ProviderRow({ provider: p, selected, busy, age, now, onToggle, acts, onInvalidate }: Props) {
  const ttl = p.ttlMs === null ? null : Math.max(0, p.ttlMs - age);
  const cache = describeCache(p);
  return (
    <tr className={selected ? 'is-selected' : undefined}>
      {acts ? (
        <td className="col-check" data-area="check">
          {onInvalidate ? (
            <input type="checkbox" aria-label={`Select ${p.name}`} checked={selected} onChange={(e) => onToggle(p.name, e.target.checked)} />
          ) : null}
        </td>
      ) : null}
      <th scope="row" className="col-name" data-area="name">
        <span className="provider-name">{p.displayName}</span>
        <code className="provider-id">{p.name}</code>
      </th>
      <td data-area="cache">
        <span className={`badge badge-${cache.tone}`}>{cache.label}</span>
        {p.stale ? <span className="badge badge-warn">Stale</span> : null}
        {p.held ? (
          <>
            <span className="badge badge-warn">Held</span>{' '}
            <Link href={`/review/${encodeURIComponent(p.name)}`} aria-label={`Review ${p.name}`}>
              Review
            </Link>
          </>
        ) : null}
        {p.unguarded.length ? (
          <span className="cache-note" role="note" aria-label={`${p.name} breaks the guard's rules`}>
            <span className="badge badge-bad">Written past the guard</span> breaks {p.unguarded.length === 1 ? 'a rule' : `${p.unguarded.length} rules`} against the last published catalog:{' '}
            {p.unguarded.slice(0, 3).join('; ')}
            {p.unguarded.length > 3 ? `; and ${p.unguarded.length - 3} more` : ''}
          </span>
        ) : null}
        {cache.detail ? <span className="cache-detail muted">{cache.detail}</span> : null}
        {cache.note ? <span className="cache-note muted">{cache.note}</span> : null}
      </td>
      <td className="num" data-area="keys" data-label="Keys">
        {p.keys} / {p.keysTotal}
      </td>
      <td className="num" data-area="models" data-label="Models">
        {p.modelCount ?? <span className="muted">—</span>}
        {p.unpriced ? (
          <Link className="unpriced-count" href={`/catalog#catalog-${p.name}`} title="Models without a price or at $0: spend on them passes every budget">
            {p.unpriced} unpriced
          </Link>
        ) : null}
      </td>
      <td className="num" data-area="ttl" data-label="TTL left">{ttl === null ? <span className="muted">—</span> : formatSpan(ttl)}</td>
      <td data-area="cached" data-label="Cached">
        {p.cachedAt === null ? (
          <span className="muted">—</span>
        ) : (
          <Time at={p.cachedAt} now={now} />
        )}
      </td>
      {acts ? (
        <td className="col-action" data-area="action">
          {onInvalidate ? (
            <button
              type="button"
              className="button button-small"
              aria-label={`Invalidate ${p.name}`}
              disabled={busy !== null}
              aria-busy={busy !== null}
              onClick={() => onInvalidate(p.name)}
            >
              {busy ?? 'Invalidate'}
            </button>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
});
