'use client';

import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '~/components/common/error-message';
import { formatDateTime } from '~/components/common/format';
import type { TokenView } from '~/server/auth/schema';
import type { Role } from '~/server/identity/schema';
import { RoleSelect } from './role-select';
import { ShownOnce } from './shown-once';
import { useTokens } from './use-tokens';
import { ColumnHeads, EmptyRow } from '~/components/common/table-parts';

/** Named API tokens for scripts: create (shown once), list, revoke. */
export function TokensView() {
  const { list, items, total, create, revoke, created, dismiss } = useTokens();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name, role }, { onSuccess: () => setName('') });
  };
  return (
    <section aria-labelledby="tokens-heading" className="access-page">
      <div className="page-head">
        <h1 id="tokens-heading">API tokens</h1>
        <p className="muted">For scripts: send <code>Authorization: Bearer &lt;token&gt;</code> to the tRPC and REST APIs.</p>
      </div>
      <form className="card access-form" onSubmit={submit} aria-label="Create a token">
        <label className="field" htmlFor="token-name">
          <span className="label">Name</span>
          <input id="token-name" className="input" value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} />
        </label>
        <RoleSelect id="token-role" value={role} onChange={setRole} />
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          Create token
        </button>
      </form>
      {create.error ? <ErrorMessage error={create.error} title="Could not create the token" /> : null}
      {created ? <ShownOnce label={`Token ${created.name}`} value={created.token} onDone={dismiss} /> : null}
      {revoke.error ? <ErrorMessage error={revoke.error} title="Could not revoke the token" /> : null}
      {list.error ? <ErrorMessage error={list.error} title="Could not load tokens" onRetry={() => void (list.data ? list.fetchNextPage() : list.refetch())} /> : null}
      <div className="table-scroll">
        <table className="table">
          <caption className="sr-only">API tokens</caption>
          <ColumnHeads names={['Name', 'Role', 'Created by', 'Created', 'Last used', 'State', '']} />
          <tbody>
            {items.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.name}</th>
                <td>{t.role}</td>
                <td>{t.createdBy}</td>
                <td>{formatDateTime(t.createdAt)}</td>
                <td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : <span className="muted">never</span>}</td>
                <td>
                  <TokenState token={t} />
                </td>
                <td>
                  {t.revokedAt || t.revokedVia ? null : (
                    <button type="button" className="button button-small button-danger" aria-label={`Revoke ${t.name}`} onClick={() => revoke.mutate({ id: t.id })}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {list.data && items.length === 0 ? (
              <EmptyRow columns={7}>No tokens yet.</EmptyRow>
            ) : null}
          </tbody>
        </table>
      </div>
      {total !== null && items.length > 0 ? (
        <p className="muted" aria-live="polite">
          Showing {items.length} of {total} tokens{list.hasNextPage ? '' : ' (all of them)'}
        </p>
      ) : null}
      {list.hasNextPage ? (
        <button type="button" className="button" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          Show more
        </button>
      ) : null}
    </section>
  );
}

/** Active, revoked, or refused because a token that made it was revoked (named, so the admin sees why). */
function TokenState({ token }: { token: TokenView }) {
  if (token.revokedAt) return <span className="badge badge-bad">revoked</span>;
  if (token.revokedVia) {
    return (
      <span className="badge badge-bad" title={`revoked ${formatDateTime(token.revokedVia.revokedAt)}`}>
        revoked with its maker {token.revokedVia.name}
      </span>
    );
  }
  return <span className="badge badge-ok">active</span>;
}
