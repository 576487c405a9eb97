import type { Metadata } from 'next';
import { ReviewView } from '~/components/guard/review-view';
import { guardedPage } from '~/app/_shell/guarded-page';
import { allows } from '~/server/identity/level-schema';

interface Props {
  params: Promise<{ provider: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Review ${(await params).provider}` };
}

/** A provider's held candidate (the catalog guard): viewers see it, operators whose scope covers it approve or reject it. */
export default async function ReviewPage({ params }: Props) {
  const { provider } = await params;
  return guardedPage({ section: 'providers', path: `/review/${encodeURIComponent(provider)}` }, (viewer) => (
    <ReviewView key={provider} provider={provider} canDecide={allows(viewer.role, 'operator') && (!viewer.providers || viewer.providers.includes(provider))} />
  ));
}
