import type { Metadata } from 'next';
import { JobDetailView } from '~/components/history/job-detail-view';
import { guardedPage } from '~/app/_shell/guarded-page';
import { allows } from '~/server/identity/level-schema';

interface Props {
  params: Promise<{ jobId: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Job ${(await params).jobId}` };
}

export default async function JobPage({ params }: Props) {
  const { jobId } = await params;
  return guardedPage({ section: 'history', path: `/history/${encodeURIComponent(jobId)}` }, (viewer) => <JobDetailView key={jobId} jobId={jobId} canRunAgain={allows(viewer.role, 'operator')} />);
}
