import type { Metadata } from 'next';
import { ProvidersView } from '~/components/providers/providers-view';
import { guardedPage } from '~/app/_shell/guarded-page';
import { allows } from '~/server/identity/level-schema';

export const metadata: Metadata = { title: 'Providers' };

export default async function ProvidersPage() {
  return guardedPage({ section: 'providers', path: '/' }, (viewer, environment) => <ProvidersView canInvalidate={allows(viewer.role, 'operator')} scope={viewer.providers} environment={environment} />);
}
