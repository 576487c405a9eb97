import type { Metadata } from 'next';
import { SchedulesView } from '~/components/schedules/schedules-view';
import { AppShell } from '~/components/shell/app-header';
import { requireAdminPage } from '~/server/auth/page-guard';

export const metadata: Metadata = { title: 'Schedules' };

export default async function SchedulesPage() {
  await requireAdminPage('/schedules');
  return (
    <AppShell current="schedules">
      <SchedulesView />
    </AppShell>
  );
}
