import { connection } from 'next/server';
import Link from 'next/link';

/**
 * Rendered per request (not prerendered): proxy.ts gives every page a fresh CSP nonce, and only a
 * page rendered after it can carry that nonce on its scripts.
 */
export default async function NotFound() {
  await connection();
  return (
    <main className="login">
      <div className="login-card">
        <h1 className="login-title">Not found</h1>
        <p className="muted">There is no page here.</p>
        <Link href="/" className="button button-primary button-block">
          Back to the providers
        </Link>
      </div>
    </main>
  );
}
