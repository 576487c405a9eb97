import { json } from '~/server/http/respond';
import { route } from '~/server/http/route';
import { jobIdSchema } from '~/server/invalidation/schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route('viewer', async (_req, { services }, { params }: { params: Promise<{ jobId: string }> }) => {
  const jobId = jobIdSchema.parse((await params).jobId);
  return json(await services.invalidation.get(jobId));
});
