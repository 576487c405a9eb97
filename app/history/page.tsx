import type { Metadata } from 'next';
import { HistoryView } from '~/components/history/history-view';
import { guardedPage } from '~/app/_shell/guarded-page';

export const metadata: Metadata = { title: 'History' };

export default async function HistoryPage() {
  return guardedPage({ section: 'history', path: '/history' }, () => <HistoryView />);
}
