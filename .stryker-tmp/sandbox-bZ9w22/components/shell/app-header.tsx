// @ts-nocheck
import Link from 'next/link';
import type { ReactNode } from 'react';
import { LiveUpdates } from '~/components/activity/live-updates';

const NAV = [
  { href: '/', label: 'Providers', key: 'providers' },
  { href: '/history', label: 'History', key: 'history' },
] as const;

export type Section = (typeof NAV)[number]['key'];

/** Brand, the two sections, and sign-out (a plain form POST: works before any script loads). */
export function AppHeader({ current }: { current: Section }) {
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Catalog cache
        </Link>
        <nav aria-label="Main" className="nav">
          {NAV.map((item) => (
            <Link key={item.key} href={item.href} className="nav-link" aria-current={item.key === current ? 'page' : undefined}>
              {item.label}
            </Link>
          ))}
        </nav>
        <LiveUpdates />
        <form method="post" action="/api/auth/logout" className="signout">
          <button type="submit" className="button button-ghost">
            Sign out
          </button>
        </form>
      </div>
    </header>
  );
}

/** The signed-in page frame: header, then the page in a centred main column. */
export function AppShell({ current, children }: { current: Section; children: ReactNode }) {
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <AppHeader current={current} />
      <main id="main" className="main">
        {children}
      </main>
    </>
  );
}
