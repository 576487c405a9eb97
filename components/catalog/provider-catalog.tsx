'use client';

import { formatPrice, formatSpan, plural } from '~/components/common/format';
import type { CatalogEntry } from '~/server/catalog/view';
import { Time } from '~/components/common/time';

interface Props {
  entry: CatalogEntry;
  /** The models to list: all of them, or those the search found. */
  models: CatalogEntry['models'];
  /** Open the list (the search found models in it). */
  open: boolean;
  now: number;
  /** "Queued…"/"Running…" while a job of this tab covers the provider. */
  busy: string | null;
  /** Null for viewers: no Refresh button. */
  onRefresh: ((provider: string) => void) | null;
}

/** One provider: its cached models (id, name, context, prices), their age and source, and a Refresh button. */
export function ProviderCatalog({ entry: e, models, open, now, busy, onRefresh }: Props) {
  const titleId = `catalog-${e.provider}`;
  return (
    <section className="card catalog-provider" aria-labelledby={titleId}>
      <div className="card-head">
        <h2 id={titleId} className="catalog-title">
          {e.displayName} <code className="provider-id">{e.provider}</code>
        </h2>
        {onRefresh ? (
          <button
            type="button"
            className="button button-small"
            aria-label={`Refresh ${e.provider}`}
            disabled={busy !== null}
            aria-busy={busy !== null}
            onClick={() => onRefresh(e.provider)}
          >
            {busy ?? 'Refresh'}
          </button>
        ) : null}
      </div>
      <p className="catalog-meta">
        {e.cachedAt === null ? (
          <span className="badge badge-neutral">Not cached</span>
        ) : (
          <>
            <span className="badge badge-ok">{plural(e.models.length, 'model')} cached</span>
            {e.stale ? <span className="badge badge-warn">Stale: served until refreshed</span> : null}
            <span>
              fetched{' '}
              <Time at={e.cachedAt} now={now} />
            </span>
            {e.ttlMs !== null ? <span>expires in {formatSpan(e.ttlMs)}</span> : null}
          </>
        )}
        <span>
          source <code>{e.source}</code>
        </span>
      </p>
      {models.length ? (
        // Keyed on `open`: a search that finds models opens the list, clearing it closes it again.
        <details key={String(open)} open={open} className="disclosure">
          <summary>
            {open ? `${plural(models.length, 'matching model')} of ${e.displayName}` : `Models of ${e.displayName}`}
          </summary>
          <div className="table-scroll">
            <table className="table" aria-label={`Models of ${e.displayName}`}>
              <thead>
                <tr>
                  <th scope="col">Model id</th>
                  <th scope="col">Name</th>
                  <th scope="col" className="num">Context</th>
                  <th scope="col" className="num">Input / 1M tok</th>
                  <th scope="col" className="num">Output / 1M tok</th>
                </tr>
              </thead>
              <tbody>
                {models.map((m) => (
                  <tr key={m.id}>
                    <th scope="row">
                      <code>{m.id}</code>
                    </th>
                    <td>{m.name}</td>
                    <td className="num">{m.contextLength?.toLocaleString('en-US') ?? '—'}</td>
                    <td className="num">{formatPrice(m.pricing?.inputPerMTok)}</td>
                    <td className="num">{formatPrice(m.pricing?.outputPerMTok)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
    </section>
  );
}
