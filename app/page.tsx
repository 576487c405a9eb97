import type { Metadata } from 'next';
import { ProvidersView } from '~/components/providers/providers-view';
import { guardedPage } from '~/app/_shell/guarded-page';

export const metadata: Metadata = { title: 'Providers' };

export default async function ProvidersPage() {
  return guardedPage({ section: 'providers', path: '/' }, (viewer, environment) => <ProvidersView canInvalidate={viewer.role === 'admin'} environment={environment} />);
}
