'use client';

import { Fragment, useState } from 'react';
import { formatPrice, formatSpan, plural } from '~/components/common/format';
import { Time } from '~/components/common/time';
import type { CatalogEntry } from '~/server/catalog/view';
import type { ModelOverride } from '~/server/guard/overrides-schema';
import { OverrideForm, pinsInWords } from './override-form';
import { UnpricedModels } from './unpriced-models';
import type { Overrides } from './use-overrides';

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
  /** This provider's per-model overrides, by model id. */
  pinned: ReadonlyMap<string, ModelOverride> | undefined;
  /** Null for operators and viewers: no override controls. */
  overrides: Overrides | null;
}

/**
 * One provider: its cached models (id, name, context, prices; "Overridden" where an override
 * applies), their age and source, a Refresh button, and for admins each model's override form.
 */
export function ProviderCatalog({ entry: e, models, open, now, busy, onRefresh, pinned, overrides }: Props) {
  const titleId = `catalog-${e.provider}`;
  const [editing, setEditing] = useState<string | null>(null);
  const listed = new Set(e.models.map((m) => m.id));
  // Hidden models are not in what readers get: listed apart, so an admin can remove the override.
  const hidden = [...(pinned?.values() ?? [])].filter((o) => o.hidden && !listed.has(o.model));
  const columns = overrides ? 7 : 6;
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
      <UnpricedModels provider={e.provider} ids={e.unpriced} />
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
                  <th scope="col">Override</th>
                  {overrides ? (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {models.map((m) => {
                  const o = pinned?.get(m.id);
                  return (
                    <Fragment key={m.id}>
                      <tr>
                        <th scope="row">
                          <code>{m.id}</code>
                        </th>
                        <td>{m.name}</td>
                        <td className="num">{m.contextLength?.toLocaleString('en-US') ?? '—'}</td>
                        <td className="num">{formatPrice(m.pricing?.inputPerMTok)}</td>
                        <td className="num">{formatPrice(m.pricing?.outputPerMTok)}</td>
                        <td>{o ? <span className="badge badge-warn" title={pinsInWords(o)}>Overridden</span> : null}</td>
                        {overrides ? (
                          <td>
                            <button type="button" className="button button-small" aria-label={`Override ${m.id}`} aria-expanded={editing === m.id} onClick={() => setEditing(editing === m.id ? null : m.id)}>
                              {o ? 'Edit override' : 'Override'}
                            </button>
                          </td>
                        ) : null}
                      </tr>
                      {overrides && editing === m.id ? (
                        <tr>
                          <td colSpan={columns}>
                            <OverrideForm provider={e.provider} model={m} current={o} overrides={overrides} onDone={() => setEditing(null)} />
                          </td>
                        </tr>
                      ) : null}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
      {hidden.length ? (
        <p className="catalog-meta">
          Hidden by an override:{' '}
          {hidden.map((o) => (
            <span key={o.model} title={pinsInWords(o)}>
              <code>{o.model}</code>{' '}
              {overrides ? (
                <button type="button" className="button button-small" aria-label={`Remove the override of ${o.model}`} disabled={overrides.remove.isPending} onClick={() => overrides.remove.mutate({ provider: e.provider, model: o.model })}>
                  Show again
                </button>
              ) : null}{' '}
            </span>
          ))}
        </p>
      ) : null}
    </section>
  );
}
