import type { Metadata, Viewport } from 'next';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { AnnouncerProvider } from '~/components/common/announcer';
import { JobStreamProvider } from '~/components/jobs/job-stream';
import { parseTheme, THEME_COOKIE } from '~/components/shell/theme';
import { TRPCReactProvider } from '~/components/trpc/client';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Catalog cache', template: '%s · Catalog cache' },
  description: 'Invalidate the LLM gateway model catalog cached in Redis, and watch it happen.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // A theme chosen with the header's toggle; none: the system's (globals.css, prefers-color-scheme).
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={theme ?? undefined}>
      <body>
        <TRPCReactProvider>
          {/* Every job panel of a page reads its events from this one stream; every action is announced. */}
          <AnnouncerProvider>
            <JobStreamProvider>{children}</JobStreamProvider>
          </AnnouncerProvider>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
