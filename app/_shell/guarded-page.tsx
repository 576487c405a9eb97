import { cookies } from 'next/headers';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { AppShell, type Section } from '~/components/shell/app-header';
import { parseTheme, THEME_COOKIE } from '~/components/shell/theme';
import { isForbidden, pageEnvironment, requirePage, type Forbidden, type Viewer } from '~/server/http/page-guard';
import type { AppEnvironment } from '~/server/lib/environment';
import type { Role } from '~/server/identity/schema';

export interface PageDoor {
  /** The header's entry to mark as current. */
  section: Section;
  /** The page asked for, carried to the login page so sign-in comes back to it. */
  path: string;
  /** Who may look; anyone below it gets a page saying which role is needed and who they are (its API calls refuse them anyway). */
  level?: Role;
}

/**
 * Every signed-in page: the guard (who is looking, or a redirect: server/http/page-access.ts), then
 * the shell (naming the environment) with the page's view, which may render controls by the viewer's role. Called in the page
 * itself, not rendered as a component, so a redirect happens before anything streams.
 */
export async function guardedPage({ section, path, level = 'viewer' }: PageDoor, view: (viewer: Viewer, environment: AppEnvironment | null) => ReactNode) {
  const access = await requirePage(path, level);
  const environment = pageEnvironment();
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  const viewer = isForbidden(access) ? access.forbidden.viewer : access;
  return (
    <AppShell current={section} viewer={viewer} environment={environment} theme={theme}>
      {isForbidden(access) ? <NeedsRole forbidden={access.forbidden} /> : view(viewer, environment)}
    </AppShell>
  );
}

const withArticle = (role: Role) => (/^[aeiou]/.test(role) ? `an ${role}` : `a ${role}`);

/** Instead of a silent redirect: which role the page needs, who is signed in, and what to do. */
function NeedsRole({ forbidden: { needed, viewer } }: { forbidden: Forbidden['forbidden'] }) {
  return (
    <section className="page-head needs-role" aria-labelledby="needs-role-heading">
      <h1 id="needs-role-heading">You need the {needed} role</h1>
      <p>
        This page is for {withArticle(needed)}. You are signed in as <strong>{viewer.name}</strong>, {withArticle(viewer.role)}
        {viewer.credential === 'token' ? ' (with an API token)' : ''}.
      </p>
      <p className="muted">Ask an admin to give you the {needed} role, or sign in with an account that has it.</p>
      <p>
        <Link href="/">Back to the providers</Link>
      </p>
    </section>
  );
}
