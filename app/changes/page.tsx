import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ChangesView } from '~/components/changes/changes-view';
import { guardedPage } from '~/app/_shell/guarded-page';

export const metadata: Metadata = { title: 'Changes' };

export default async function ChangesPage() {
  // The view reads its filters from the URL (useSearchParams), which wants a Suspense boundary.
  return guardedPage({ section: 'changes', path: '/changes' }, () => (
    <Suspense>
      <ChangesView />
    </Suspense>
  ));
}
