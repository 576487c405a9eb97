// @ts-nocheck
import type { Metadata } from 'next';
import { HistoryView } from '~/components/history/history-view';
import { AppShell } from '~/components/shell/app-header';
import { requireAdminPage } from '~/server/auth/page-guard';

export const metadata: Metadata = { title: 'History' };

export default async function HistoryPage() {
  await requireAdminPage('/history');
  return (
    <AppShell current="history">
      <HistoryView />
    </AppShell>
  );
}
