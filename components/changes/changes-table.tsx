'use client';

import Link from 'next/link';
import { Time } from '~/components/common/time';
import { useNow } from '~/components/common/use-now';
import { KIND_WORDS } from './changes-filters';
import type { ChangeItem } from './use-changes';

const COLUMNS = ['When', 'Provider', 'Model', 'Change', 'Before → after', 'Published by'];

const TONES = { added: 'ok', removed: 'bad', price: 'info', other: 'neutral' } as const;

function publishedBy(c: ChangeItem) {
  const job = c.job ? (
    <Link href={`/history/${c.job}`} className="change-model">
      {c.job}
    </Link>
  ) : null;
  if (c.via === 'approval') return <>approved by {c.approvedBy ?? 'an admin'}{job ? <> (fetched by {job})</> : null}</>;
  if (c.via === 'refresh') return job ? <>refresh {job}</> : <>a refresh</>;
  return <>a reader&apos;s rebuild</>;
}

/** One row per model changed by a publication, each field before → after. */
export function ChangesTable({ items, filtered, marked }: { items: ChangeItem[]; filtered: boolean; marked: ReadonlySet<string> | null }) {
  const now = useNow(30_000);
  return (
    <div className="table-scroll">
      <table className="table table-cards">
        <caption className="sr-only">Published changes of the catalog, newest first</caption>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.length === 0 ? (
            <tr>
              <td colSpan={COLUMNS.length} className="empty">
                {filtered ? 'No change matches these filters.' : 'No published change yet: the catalog is as it was first published.'}
              </td>
            </tr>
          ) : (
            items.map((c) => (
              <tr key={c.id}>
                <td data-label="When">
                  <Time at={c.at} now={now} />
                </td>
                <td data-label="Provider">{c.provider}</td>
                <td className="change-model" data-label="Model">
                  {c.model}
                  {marked?.has(c.id) ? (
                    <>
                      {' '}
                      <span className="badge badge-ok">New</span>
                    </>
                  ) : null}
                </td>
                <td data-label="Change">
                  <span className={`badge badge-${TONES[c.kind]}`}>{KIND_WORDS[c.kind]}</span>
                </td>
                <td data-label="Before → after">
                  <ul className="change-fields">
                    {c.fields.map((f) => (
                      <li key={f.field}>
                        {f.field}: {c.kind === 'added' ? f.after : c.kind === 'removed' ? f.before : `${f.before} → ${f.after}`}
                      </li>
                    ))}
                  </ul>
                </td>
                <td data-label="Published by">{publishedBy(c)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
