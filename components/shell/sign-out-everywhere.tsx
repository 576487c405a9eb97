'use client';

import { useState, useSyncExternalStore } from 'react';

const never = () => () => {};

/**
 * "Sign out everywhere" asks first: it ends every session of the account, on every device. The
 * first click shows the question in place (the focus moves to the confirming button); only that
 * button submits the form. Before the script loads, the plain button submits as it always did.
 */
export function SignOutEverywhere() {
  const [asking, setAsking] = useState(false);
  // False on the server and while hydrating, true once the script runs: no mismatch, and no-JS still works.
  const ready = useSyncExternalStore(never, () => true, () => false);
  if (!asking) {
    return (
      <button
        type={ready ? 'button' : 'submit'}
        name={ready ? undefined : 'scope'}
        value={ready ? undefined : 'everywhere'}
        className="button button-ghost"
        onClick={ready ? () => setAsking(true) : undefined}
      >
        Sign out everywhere
      </button>
    );
  }
  return (
    <span role="group" aria-label="Sign out everywhere?" className="confirm-inline">
      <span className="muted">End every session, on every device?</span>
      <button type="submit" name="scope" value="everywhere" className="button button-danger-quiet" autoFocus>
        Yes, sign out everywhere
      </button>
      <button type="button" className="button button-ghost" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
