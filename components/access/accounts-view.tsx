'use client';

import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '~/components/common/error-message';
import { formatDateTime } from '~/components/common/format';
import type { Role } from '~/server/identity/schema';
import { RoleSelect } from './role-select';
import { ShownOnce } from './shown-once';
import { useAccounts } from './use-accounts';
import { ColumnHeads, EmptyRow } from '~/components/common/table-parts';

/** People who sign in: create (initial password shown once, changed at first sign-in), disable, enable. */
export function AccountsView() {
  const { list, create, disable, enable, created, dismiss } = useAccounts();
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ username, role }, { onSuccess: () => setUsername('') });
  };
  const error = create.error ?? disable.error ?? enable.error;
  return (
    <section aria-labelledby="accounts-heading" className="access-page">
      <div className="page-head">
        <h1 id="accounts-heading">Accounts</h1>
        <p className="muted">Disabling an account ends its sessions at once.</p>
      </div>
      <form className="card access-form" onSubmit={submit} aria-label="Create an account">
        <label className="field" htmlFor="account-username">
          <span className="label">Username</span>
          <input id="account-username" className="input" value={username} onChange={(e) => setUsername(e.target.value)} required maxLength={32} autoComplete="off" />
        </label>
        <RoleSelect id="account-role" value={role} onChange={setRole} />
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          Create account
        </button>
      </form>
      {error ? <ErrorMessage error={error} title="That did not work" /> : null}
      {created ? <ShownOnce label={`Initial password of ${created.username}`} value={created.password} onDone={dismiss} /> : null}
      {list.error ? <ErrorMessage error={list.error} title="Could not load accounts" onRetry={() => void list.refetch()} /> : null}
      <div className="table-scroll">
        <table className="table">
          <caption className="sr-only">Accounts</caption>
          <ColumnHeads names={['Username', 'Role', 'Created by', 'Created', 'State', '']} />
          <tbody>
            {(list.data ?? []).map((a) => (
              <tr key={a.id}>
                <th scope="row">{a.username}</th>
                <td>{a.role}</td>
                <td>{a.createdBy}</td>
                <td>{formatDateTime(a.createdAt)}</td>
                <td>
                  {a.disabled ? <span className="badge badge-bad">disabled</span> : <span className="badge badge-ok">active</span>}
                  {a.mustChangePassword ? <span className="muted"> · initial password</span> : null}
                </td>
                <td>
                  {a.disabled ? (
                    <button type="button" className="button button-small" aria-label={`Enable ${a.username}`} onClick={() => enable.mutate({ id: a.id })}>
                      Enable
                    </button>
                  ) : (
                    <button type="button" className="button button-small button-danger" aria-label={`Disable ${a.username}`} onClick={() => disable.mutate({ id: a.id })}>
                      Disable
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {list.data?.length === 0 ? (
              <EmptyRow columns={6}>No accounts yet: the bootstrap admin (ADMIN_TOKEN) is the only way in.</EmptyRow>
            ) : null}
          </tbody>
        </table>
      </div>
    </section>
  );
}
