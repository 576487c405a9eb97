import type { Metadata } from 'next';
import { ProvidersView } from '~/components/providers/providers-view';
import { guardedPage } from '~/app/_shell/guarded-page';
import { allows } from '~/server/identity/level-schema';

export const metadata: Metadata = { title: 'Providers' };

interface Props {
  /** `again`: a job id whose request the confirmation opens prefilled with ("Run again" on a job's page). */
  searchParams: Promise<{ again?: string | string[] }>;
}

export default async function ProvidersPage({ searchParams }: Props) {
  const again = (await searchParams).again;
  const jobId = typeof again === 'string' ? again : null;
  return guardedPage({ section: 'providers', path: '/' }, (viewer, environment) => (
    <ProvidersView canInvalidate={allows(viewer.role, 'operator')} scope={viewer.providers} environment={environment} again={jobId} />
  ));
}
