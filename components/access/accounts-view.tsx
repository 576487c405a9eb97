'use client';

import { ErrorMessage } from '~/components/common/error-message';
import { AccessList } from './access-list';
import { ShownOnce } from './shown-once';
import { useAccounts } from './use-accounts';

const FIELD = { form: 'Create an account', id: 'account', name: 'username', label: 'Username', maxLength: 32, autoComplete: 'off', submit: 'Create account' };

/** People who sign in: create (initial password shown once, changed at first sign-in), disable, enable. */
export function AccountsView() {
  const { list, create, disable, enable, created, dismiss } = useAccounts();
  const error = create.error ?? disable.error ?? enable.error;
  return (
    <AccessList
      id="accounts"
      title="Accounts"
      note="Disabling an account ends its sessions at once."
      create={{ field: FIELD, pending: create.isPending, onCreate: (username, grant, done) => create.mutate({ username, ...grant }, { onSuccess: done }) }}
      notices={
        <>
          {error ? <ErrorMessage error={error} title="That did not work" /> : null}
          {created ? <ShownOnce label={`Initial password of ${created.username}`} value={created.password} onDone={dismiss} /> : null}
        </>
      }
      list={list}
      noun="accounts"
      name={{ column: 'Username', of: (a) => a.username }}
      more={{
        columns: ['State', ''],
        cells: (a) => (
          <>
            <td>
              {a.disabled ? <span className="badge badge-bad">disabled</span> : <span className="badge badge-ok">active</span>}
              {a.mustChangePassword ? <span className="muted"> · initial password</span> : null}
              {a.sso ? <span className="muted" title={`${a.sso.issuer} · subject ${a.sso.subject}`}> · single sign-on</span> : null}
            </td>
            <td>
              {a.disabled ? (
                <button type="button" className="button button-small" aria-label={`Enable ${a.username}`} onClick={() => enable.mutate({ id: a.id })}>
                  Enable
                </button>
              ) : (
                <button type="button" className="button button-small button-danger-quiet" aria-label={`Disable ${a.username}`} onClick={() => disable.mutate({ id: a.id })}>
                  Disable
                </button>
              )}
            </td>
          </>
        ),
      }}
      empty="No accounts yet: the bootstrap admin (ADMIN_TOKEN) is the only way in."
    />
  );
}
