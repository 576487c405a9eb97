import type { Metadata } from 'next';
import { requireAccountPage } from '~/server/http/page-guard';

export const metadata: Metadata = { title: 'Change password' };

interface Props {
  searchParams: Promise<{ error?: string | string[]; next?: string | string[] }>;
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * The errors the password route redirects with, by code: the page shows only these words, never
 * text from the link (anyone can send a link that says "your password expired, go to evil.example").
 */
const PASSWORD_ERRORS: Record<string, string> = {
  invalid: 'The new password is not valid: use 12 to 256 characters',
  mismatch: 'The two new passwords differ',
  current: 'The current password is not right',
  same: 'Choose a new password different from the current one',
  throttled: 'Too many wrong current passwords; wait a few minutes and try again',
  refused: 'That password cannot be changed here',
};

/** A plain form POST to /api/auth/password; required after signing in with an initial password. */
export default async function PasswordPage({ searchParams }: Props) {
  const principal = await requireAccountPage();
  const params = await searchParams;
  const code = first(params.error);
  const error = code && Object.hasOwn(PASSWORD_ERRORS, code) ? PASSWORD_ERRORS[code] : code ? 'The password was not changed; try again' : undefined;
  const next = first(params.next) ?? '/';
  return (
    <main className="login">
      <div className="login-card">
        <h1 className="login-title">Change password</h1>
        {principal.bootstrap ? (
          <p>The bootstrap admin signs in with ADMIN_TOKEN and has no password: change the token in the environment instead.</p>
        ) : (
          <>
            <p className="muted">
              {principal.mustChangePassword ? `Welcome, ${principal.name}: choose your own password to go on.` : `Signed in as ${principal.name}.`} Changing it
              signs you out everywhere else.
            </p>
            <form method="post" action="/api/auth/password" className="login-form">
              <input type="hidden" name="next" value={next} />
              {[
                ['current', 'Current password', 'current-password'],
                ['password', 'New password (at least 12 characters)', 'new-password'],
                ['confirm', 'New password again', 'new-password'],
              ].map(([name, label, auto]) => (
                <label key={name} className="field" htmlFor={name}>
                  <span className="label">{label}</span>
                  <input id={name} name={name} type="password" className="input" autoComplete={auto} required minLength={name === 'current' ? 1 : 12} />
                </label>
              ))}
              {error ? (
                <p role="alert" className="field-error">
                  {error}
                </p>
              ) : null}
              <button type="submit" className="button button-primary button-block">
                Change password
              </button>
            </form>
          </>
        )}
        <form method="post" action="/api/auth/logout">
          <button type="submit" className="button button-ghost button-block">
            Sign out
          </button>
        </form>
      </div>
    </main>
  );
}
