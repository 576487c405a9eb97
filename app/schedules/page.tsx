import type { Metadata } from 'next';
import { SchedulesView } from '~/components/schedules/schedules-view';
import { guardedPage } from '~/app/_shell/guarded-page';

export const metadata: Metadata = { title: 'Schedules' };

export default async function SchedulesPage() {
  return guardedPage({ section: 'schedules', path: '/schedules', level: 'admin' }, () => <SchedulesView />);
}
