import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { AppShell, type Section } from '~/components/shell/app-header';
import { parseTheme, THEME_COOKIE } from '~/components/shell/theme';
import { pageEnvironment, requirePage, type Viewer } from '~/server/http/page-guard';
import type { AppEnvironment } from '~/server/lib/environment';
import type { Role } from '~/server/identity/schema';

export interface PageDoor {
  /** The header's entry to mark as current. */
  section: Section;
  /** The page asked for, carried to the login page so sign-in comes back to it. */
  path: string;
  /** Who may look; a viewer asking for an admin page goes to the providers page (its API calls refuse them anyway). */
  level?: Role;
}

/**
 * Every signed-in page: the guard (who is looking, or a redirect: server/http/page-access.ts), then
 * the shell (naming the environment) with the page's view, which may render controls by the viewer's role. Called in the page
 * itself, not rendered as a component, so a redirect happens before anything streams.
 */
export async function guardedPage({ section, path, level = 'viewer' }: PageDoor, view: (viewer: Viewer, environment: AppEnvironment | null) => ReactNode) {
  const viewer = await requirePage(path, level);
  const environment = pageEnvironment();
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <AppShell current={section} viewer={viewer} environment={environment} theme={theme}>
      {view(viewer, environment)}
    </AppShell>
  );
}
