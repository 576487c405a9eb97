import type { Metadata } from 'next';
import { requireAccountPage } from '~/server/http/page-guard';

export const metadata: Metadata = { title: 'Change password' };

interface Props {
  searchParams: Promise<{ error?: string | string[]; next?: string | string[] }>;
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** A plain form POST to /api/auth/password; required after signing in with an initial password. */
export default async function PasswordPage({ searchParams }: Props) {
  const principal = await requireAccountPage();
  const params = await searchParams;
  const error = first(params.error)?.slice(0, 200);
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
