'use client';

import { ErrorMessage } from '~/components/common/error-message';
import { formatExact } from '~/components/common/format';
import type { TokenView } from '~/server/auth/schema';
import { AccessList } from './access-list';
import { ShownOnce } from './shown-once';
import { useTokens } from './use-tokens';
import { Time } from '~/components/common/time';

const FIELD = { form: 'Create a token', id: 'token', name: 'name', label: 'Name', maxLength: 64, submit: 'Create token' };

/** Named API tokens for scripts: create (shown once), list, revoke. */
export function TokensView() {
  const { list, items, total, create, revoke, created, dismiss } = useTokens();
  return (
    <AccessList
      id="tokens"
      title="API tokens"
      note={
        <>
          For scripts: send <code>Authorization: Bearer &lt;token&gt;</code> to the tRPC and REST APIs.
        </>
      }
      create={{ field: FIELD, pending: create.isPending, onCreate: (name, grant, done) => create.mutate({ name, ...grant }, { onSuccess: done }) }}
      notices={
        <>
          {create.error ? <ErrorMessage error={create.error} title="Could not create the token" /> : null}
          {created ? <ShownOnce label={`Token ${created.name}`} value={created.token} onDone={dismiss} /> : null}
          {revoke.error ? <ErrorMessage error={revoke.error} title="Could not revoke the token" /> : null}
        </>
      }
      list={{ data: list.data ? items : undefined, error: list.error, refetch: () => (list.data ? list.fetchNextPage() : list.refetch()) }}
      noun="tokens"
      name={{ column: 'Name', of: (t) => t.name }}
      more={{
        columns: ['Last used', 'State', ''],
        cells: (t) => (
          <>
            <td>{t.lastUsedAt ? <Time at={t.lastUsedAt} /> : <span className="muted">never</span>}</td>
            <td>
              <TokenState token={t} />
            </td>
            <td>
              {t.revokedAt || t.revokedVia ? null : (
                <button type="button" className="button button-small button-danger-quiet" aria-label={`Revoke ${t.name}`} onClick={() => revoke.mutate({ id: t.id })}>
                  Revoke
                </button>
              )}
            </td>
          </>
        ),
      }}
      empty="No tokens yet."
      footer={
        <>
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
        </>
      }
    />
  );
}

/** Active, revoked, or refused because a token that made it was revoked (named, so the admin sees why). */
function TokenState({ token }: { token: TokenView }) {
  if (token.revokedAt) return <span className="badge badge-bad">revoked</span>;
  if (token.revokedVia) {
    return (
      <span className="badge badge-bad" title={`revoked ${formatExact(token.revokedVia.revokedAt)}`}>
        revoked with its maker {token.revokedVia.name}
      </span>
    );
  }
  return <span className="badge badge-ok">active</span>;
}
