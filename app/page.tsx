import type { Metadata } from 'next';
import { ProvidersView } from '~/components/providers/providers-view';
import { AppShell } from '~/components/shell/app-header';
import { requirePage } from '~/server/http/page-guard';

export const metadata: Metadata = { title: 'Providers' };

export default async function ProvidersPage() {
  const viewer = await requirePage('/');
  return (
    <AppShell current="providers" viewer={viewer}>
      <ProvidersView canInvalidate={viewer.role === 'admin'} />
    </AppShell>
  );
}
