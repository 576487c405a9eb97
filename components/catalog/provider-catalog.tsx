'use client';

import { formatAgo, formatDateTime, formatSpan, plural } from '~/components/common/format';
import type { CatalogEntry } from '~/server/catalog/view';
import { UnpricedModels } from './unpriced-models';

interface Props {
  entry: CatalogEntry;
  now: number;
  /** "Queued…"/"Running…" while a job of this tab covers the provider. */
  busy: string | null;
  /** Null for viewers: no Refresh button. */
  onRefresh: ((provider: string) => void) | null;
}

const price = (n: number | undefined) => (n === undefined ? '—' : `$${n}`);

/** One provider: its cached models (id, name, context, prices), their age and source, and a Refresh button. */
export function ProviderCatalog({ entry: e, now, busy, onRefresh }: Props) {
  const titleId = `catalog-${e.provider}`;
  return (
    <section className="card catalog-provider" aria-labelledby={titleId}>
      <div className="card-head">
        <h2 id={titleId} className="section-title">
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
              <time dateTime={new Date(e.cachedAt).toISOString()} title={formatDateTime(e.cachedAt)}>
                {formatAgo(e.cachedAt, now)}
              </time>
            </span>
            {e.ttlMs !== null ? <span>expires in {formatSpan(e.ttlMs)}</span> : null}
          </>
        )}
        <span>
          source <code>{e.source}</code>
        </span>
      </p>
      <UnpricedModels provider={e.provider} ids={e.unpriced} />
      {e.models.length ? (
        <details>
          <summary>Models of {e.provider}</summary>
          <div className="table-scroll">
            <table className="table" aria-label={`Models of ${e.provider}`}>
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
                {e.models.map((m) => (
                  <tr key={m.id}>
                    <th scope="row">
                      <code>{m.id}</code>
                    </th>
                    <td>{m.name}</td>
                    <td className="num">{m.contextLength?.toLocaleString('en-US') ?? '—'}</td>
                    <td className="num">{price(m.pricing?.inputPerMTok)}</td>
                    <td className="num">{price(m.pricing?.outputPerMTok)}</td>
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
