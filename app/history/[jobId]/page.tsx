import type { Metadata } from 'next';
import { JobDetailView } from '~/components/history/job-detail-view';
import { AppShell } from '~/components/shell/app-header';
import { requirePage } from '~/server/http/page-guard';

interface Props {
  params: Promise<{ jobId: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Job ${(await params).jobId}` };
}

export default async function JobPage({ params }: Props) {
  const { jobId } = await params;
  const viewer = await requirePage(`/history/${encodeURIComponent(jobId)}`);
  return (
    <AppShell current="history" viewer={viewer}>
      <JobDetailView key={jobId} jobId={jobId} />
    </AppShell>
  );
}
