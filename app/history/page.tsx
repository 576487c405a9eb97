import type { Metadata } from 'next';
import { HistoryView } from '~/components/history/history-view';
import { AppShell } from '~/components/shell/app-header';
import { requirePage } from '~/server/http/page-guard';

export const metadata: Metadata = { title: 'History' };

export default async function HistoryPage() {
  const viewer = await requirePage('/history');
  return (
    <AppShell current="history" viewer={viewer}>
      <HistoryView />
    </AppShell>
  );
}
