// @ts-nocheck
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Sign in' };

interface Props {
  searchParams: Promise<{ error?: string | string[]; next?: string | string[] }>;
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** A plain form POST (works without JavaScript); the route answers 303 to `next` or back here. */
export default async function LoginPage({ searchParams }: Props) {
  const params = await searchParams;
  const invalid = first(params.error) === 'invalid';
  const next = first(params.next) ?? '/';
  return (
    <main className="login">
      <div className="login-card">
        <p className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Catalog cache
        </p>
        <h1 className="login-title">Sign in</h1>
        <p className="muted">Use the admin token of this deployment (ADMIN_TOKEN).</p>
        <form method="post" action="/api/auth/login" className="login-form">
          <input type="hidden" name="next" value={next} />
          <label className="field" htmlFor="token">
            <span className="label">Admin token</span>
            <input
              id="token"
              name="token"
              type="password"
              className="input"
              autoComplete="current-password"
              required
              autoFocus
              aria-invalid={invalid || undefined}
              aria-describedby={invalid ? 'token-error' : undefined}
            />
          </label>
          {invalid ? (
            <p id="token-error" role="alert" className="field-error">
              That token is not valid.
            </p>
          ) : null}
          <button type="submit" className="button button-primary button-block">
            Sign in
          </button>
        </form>
      </div>
    </main>
  );
}
