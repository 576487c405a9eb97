import Link from 'next/link';
import type { ReactNode } from 'react';
import { LiveUpdates } from '~/components/activity/live-updates';
import type { Viewer } from '~/server/http/page-guard';
import { allows } from '~/server/identity/level-schema';
import type { AppEnvironment } from '~/server/lib/environment';
import { AccessMenu } from './access-menu';
import { SignOutEverywhere } from './sign-out-everywhere';
import type { Theme } from './theme';
import { ThemeToggle } from './theme-toggle';

const NAV = [
  { href: '/', label: 'Providers', key: 'providers', admin: false },
  { href: '/catalog', label: 'Catalog', key: 'catalog', admin: false },
  { href: '/changes', label: 'Changes', key: 'changes', admin: false },
  { href: '/policy', label: 'Policy', key: 'policy', admin: false },
  { href: '/schedules', label: 'Schedules', key: 'schedules', admin: true },
  { href: '/history', label: 'History', key: 'history', admin: false },
] as const;

/** Admin only, grouped under "Access": nine entries did not fit on one line at 1280 px. */
const ACCESS = [
  { href: '/accounts', label: 'Accounts', key: 'accounts' },
  { href: '/tokens', label: 'Tokens', key: 'tokens' },
  { href: '/audit', label: 'Audit', key: 'audit' },
] as const;

export type Section = (typeof NAV)[number]['key'] | (typeof ACCESS)[number]['key'];

/** Brand, the sections this role may open, who is signed in, and sign-out (plain form POSTs: they work before any script loads). */
export function AppHeader({ current, viewer, environment, theme }: { current: Section; viewer: Viewer; environment: AppEnvironment | null; theme: Theme | null }) {
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Catalog cache
        </Link>
        {environment ? <EnvironmentBadge environment={environment} /> : null}
        <nav aria-label="Main" className="nav">
          {NAV.filter((item) => !item.admin || allows(viewer.role, 'admin')).map((item) => (
            <Link key={item.key} href={item.href} className="nav-link" aria-current={item.key === current ? 'page' : undefined}>
              {item.label}
            </Link>
          ))}
          {allows(viewer.role, 'admin') ? <AccessMenu links={ACCESS} current={current} /> : null}
        </nav>
        <LiveUpdates />
        <ThemeToggle initial={theme} />
        {/* The name over the role (one line of text would not leave the seven sections room at 1280 px); read as "name · role". */}
        <span className="whoami muted" aria-label="Signed in as">
          <span className="whoami-name">{viewer.name}</span> <span className="whoami-role"><span className="sr-only">· </span>{viewer.role}</span>
        </span>
        {allows(viewer.role, 'operator') ? null : (
          <span className="readonly-badge" title="A viewer sees everything and changes nothing: invalidating needs the operator or admin role">
            Read-only
          </span>
        )}
        {/* Only an account has a password here: a token or the bootstrap admin (ADMIN_TOKEN) has none. */}
        {viewer.credential === 'account' ? (
          <Link href="/account/password" className="button button-ghost">
            Password
          </Link>
        ) : null}
        <form method="post" action="/api/auth/logout" className="signout">
          <button type="submit" className="button button-ghost">
            Sign out
          </button>
          {/* A token's session ends with the token (revoke it): it has no "everywhere". */}
          {viewer.credential === 'token' ? null : <SignOutEverywhere />}
        </form>
      </div>
    </header>
  );
}

/** The environment's name as configured; production in red, and said in words too. */
export function EnvironmentBadge({ environment }: { environment: AppEnvironment }) {
  return (
    <span className={`env-badge${environment.production ? ' env-production' : ''}`} title={environment.production ? 'Production: invalidations here reach live gateways' : 'Environment'}>
      <span className="sr-only">Environment: </span>
      {environment.name}
      {environment.production ? <span className="sr-only"> (production)</span> : null}
    </span>
  );
}

/** The signed-in page frame: header, then the page in a centred main column. */
export function AppShell({ current, viewer, environment, theme, children }: { current: Section; viewer: Viewer; environment: AppEnvironment | null; theme: Theme | null; children: ReactNode }) {
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <AppHeader current={current} viewer={viewer} environment={environment} theme={theme} />
      <main id="main" className="main">
        {children}
      </main>
    </>
  );
}
