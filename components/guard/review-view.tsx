'use client';

import Link from 'next/link';
import { ErrorMessage } from '~/components/common/error-message';
import { plural } from '~/components/common/format';
import type { ModelChange } from '~/server/guard/schema';
import { useHeld } from './use-held';
import { Time } from '~/components/common/time';

const KIND_WORDS: Record<ModelChange['kind'], string> = { added: 'Added', removed: 'Removed', changed: 'Changed' };

/**
 * A held candidate against the last published catalog: the rules it broke, then per model what
 * was added, removed or changed (each field before → after). Admins approve (published) or reject
 * (discarded); viewers see the same without the buttons.
 */
export function ReviewView({ provider, canDecide }: { provider: string; canDecide: boolean }) {
  const { query, held, approve, reject } = useHeld(provider);
  const pending = approve.isPending || reject.isPending;
  const done = approve.isSuccess ? 'Approved: the candidate is published.' : reject.isSuccess ? 'Rejected: readers keep the last published catalog.' : null;

  return (
    <section aria-labelledby="review-heading" className="review">
      <div className="page-head">
        <h1 id="review-heading">Review {provider}</h1>
        <p className="muted">
          A catalog the guard did not publish, against the last published one. <Link href="/">Back to providers</Link>
        </p>
      </div>
      {done ? (
        <p role="status" className="notice">
          {done}
        </p>
      ) : null}
      {approve.error ? <ErrorMessage error={approve.error} title="Could not approve" /> : null}
      {reject.error ? <ErrorMessage error={reject.error} title="Could not reject" /> : null}
      {query.error ? (
        <ErrorMessage error={query.error} title="Could not load the held candidate" onRetry={() => void query.refetch()} />
      ) : query.isPending ? (
        <p role="status" className="loading">
          Loading…
        </p>
      ) : !held ? (
        <p className="muted">Nothing of {provider} is held: readers get its published catalog.</p>
      ) : (
        <div className="card">
          <p>
            Held <Time at={held.heldAt} />: {plural(held.candidateModels, 'model')} fetched;{' '}
            {held.publishedModels === null ? 'nothing was published before' : `readers keep the last published ${plural(held.publishedModels, 'model')}`}.
          </p>
          <h2 className="section-title">Rules broken</h2>
          <ul aria-label="Rules broken">
            {held.breaches.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
          <h2 className="section-title">Changes ({held.changes.length})</h2>
          <table className="table" aria-label={`Changes of ${provider}`}>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Change</th>
                <th scope="col">Field</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {held.changes.flatMap((c) =>
                c.fields.map((f, i) => (
                  <tr key={`${c.id} ${f.field}`}>
                    {i === 0 ? (
                      <>
                        <th scope="row" rowSpan={c.fields.length}>
                          <code>{c.id}</code>
                        </th>
                        <td rowSpan={c.fields.length}>{KIND_WORDS[c.kind]}</td>
                      </>
                    ) : null}
                    <td>{f.field}</td>
                    <td>{f.before || <span className="muted">—</span>}</td>
                    <td>{f.after || <span className="muted">—</span>}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
          {canDecide ? (
            <div className="review-actions">
              <button type="button" className="button button-primary" disabled={pending} onClick={() => approve.mutate({ provider, id: held.id })}>
                Approve
              </button>
              <button type="button" className="button" disabled={pending} onClick={() => reject.mutate({ provider, id: held.id })}>
                Reject
              </button>
            </div>
          ) : null}
        </div>
      )}
    </section>
  );
}
