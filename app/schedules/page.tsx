import type { Metadata } from 'next';
import { SchedulesView } from '~/components/schedules/schedules-view';
import { AppShell } from '~/components/shell/app-header';
import { requirePage } from '~/server/http/page-guard';

export const metadata: Metadata = { title: 'Schedules' };

export default async function SchedulesPage() {
  const viewer = await requirePage('/schedules', 'admin');
  return (
    <AppShell current="schedules" viewer={viewer}>
      <SchedulesView />
    </AppShell>
  );
}
