// @ts-nocheck
import type { Metadata } from 'next';
import { ProvidersView } from '~/components/providers/providers-view';
import { AppShell } from '~/components/shell/app-header';
import { requireAdminPage } from '~/server/auth/page-guard';

export const metadata: Metadata = { title: 'Providers' };

export default async function ProvidersPage() {
  await requireAdminPage('/');
  return (
    <AppShell current="providers">
      <ProvidersView />
    </AppShell>
  );
}
