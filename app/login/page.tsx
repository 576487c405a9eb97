import type { Metadata } from 'next';
import { signInOptions } from '~/server/http/page-guard';

export const metadata: Metadata = { title: 'Sign in' };

interface Props {
  searchParams: Promise<{ error?: string | string[]; next?: string | string[]; retry?: string | string[] }>;
}

/** Single sign-on's refusals, by the code the callback sends (the reason itself is in the audit trail). */
const SSO_MESSAGES: Record<string, string> = {
  'sso-expired': 'The single sign-on expired or was already used. Start again.',
  'sso-refused': "The identity provider's answer could not be trusted, so nobody was signed in. Start again; if it repeats, ask an admin to read the audit trail.",
  'sso-no-role': 'Your identity provider account is in none of the groups that may use this panel. Ask an admin to add you to one.',
  'sso-disabled': 'Your single sign-on account is disabled here. Ask an admin.',
  'sso-unavailable': 'The identity provider did not answer. Try again in a moment.',
};

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function waitInWords(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/**
 * A plain form POST (works without JavaScript); the route answers 303 to `next` or back here. The
 * error never says whether the account exists.
 */
export default async function LoginPage({ searchParams }: Props) {
  const params = await searchParams;
  const error = first(params.error);
  const retry = Math.min(86_400, Math.max(1, Number(first(params.retry)) || 60));
  const next = first(params.next) ?? '/';
  const options = await signInOptions();
  const message =
    (error && SSO_MESSAGES[error]) ??
    (error === 'invalid'
      ? 'That username and password (or token) are not valid.'
      : error === 'throttled'
        ? `Too many failed sign-ins. Wait ${waitInWords(retry)} before trying again.`
        : null);
  return (
    <main className="login">
      <div className="login-card">
        <p className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Catalog cache
        </p>
        <h1 className="login-title">Sign in</h1>
        {options.sso ? (
          <a className="button button-primary button-block" href={`/api/auth/oidc/start?next=${encodeURIComponent(next)}`}>
            Sign in with {options.sso.name}
          </a>
        ) : null}
        {!options.local && message ? (
          <p role="alert" className="field-error">
            {message}
          </p>
        ) : null}
        {options.local ? (
          <>
            <p className="muted">
              With your username and password; or with no username and an API token (it signs in with the token&apos;s own role) or the
              deployment&apos;s admin token (ADMIN_TOKEN).
            </p>
            <form method="post" action="/api/auth/login" className="login-form">
              <input type="hidden" name="next" value={next} />
              <label className="field" htmlFor="username">
                <span className="label">Username</span>
                <input id="username" name="username" type="text" className="input" autoComplete="username" autoCapitalize="none" spellCheck={false} maxLength={64} />
              </label>
              <label className="field" htmlFor="token">
                <span className="label">Password or token</span>
                <input
                  id="token"
                  name="password"
                  type="password"
                  className="input"
                  autoComplete="current-password"
                  required
                  autoFocus
                  aria-invalid={message ? true : undefined}
                  aria-describedby={message ? 'token-error' : undefined}
                />
              </label>
              {message ? (
                <p id="token-error" role="alert" className="field-error">
                  {message}
                </p>
              ) : null}
              <button type="submit" className="button button-primary button-block">
                Sign in
              </button>
            </form>
          </>
        ) : null}
      </div>
    </main>
  );
}
