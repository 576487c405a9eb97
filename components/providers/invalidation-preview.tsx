'use client';

import { plural } from '~/components/common/format';
import { keyFate } from './invalidation-summary';
import type { PreviewState } from './use-invalidation-preview';

/** Lists are cut here: a preview of 1,000 providers stays readable (the counts stay exact). */
const SHOWN = 50;

/**
 * What the job will do, as the server's planner says (useInvalidationPreview): exact keys (and
 * whether each exists), and per provider the models cached now. Renders only.
 */
export function InvalidationPreview({ preview, keys, markedStale, error }: PreviewState) {
  if (error) return <p className="outcome-bad">Could not preview: {error}</p>;
  if (!preview) return <p className="muted" role="status">Reading what this would touch…</p>;
  const fate = markedStale ? `: ${markedStale} to mark stale (still served), ${preview.keysExisting - markedStale} to delete` : ' and will be deleted';
  return (
    <section className="preview" aria-label="Preview">
      <p className="preview-counts">
        <strong>{plural(preview.keysExisting, 'key')}</strong> of {preview.keysPlanned} planned exist now{fate};{' '}
        <strong>{plural(preview.modelsCached, 'model')}</strong> cached now across {plural(preview.providers.length, 'provider')}.
        {preview.refresh ? ' Each provider is then fetched from its source and compared.' : ''}
      </p>
      <details className="preview-list">
        <summary>Keys ({preview.keysPlanned})</summary>
        <ul>
          {keys.slice(0, SHOWN).map((k) => (
            <li key={k.key}>
              <code>{k.key}</code> <span className="muted">{keyFate(k)}</span>
            </li>
          ))}
          {keys.length > SHOWN ? <li className="muted">and {keys.length - SHOWN} more</li> : null}
        </ul>
      </details>
      <details className="preview-list">
        <summary>Models cached now ({preview.modelsCached})</summary>
        <ul>
          {preview.providers.slice(0, SHOWN).map((p) => (
            <li key={p.provider}>
              <strong>{p.provider}</strong>: {p.models.length ? p.models.slice(0, SHOWN).map((m) => m.id).join(', ') : <span className="muted">nothing cached</span>}
              {p.models.length > SHOWN ? ` and ${p.models.length - SHOWN} more` : ''}
            </li>
          ))}
          {preview.providers.length > SHOWN ? <li className="muted">and {plural(preview.providers.length - SHOWN, 'more provider', 'more providers')}</li> : null}
        </ul>
      </details>
    </section>
  );
}
