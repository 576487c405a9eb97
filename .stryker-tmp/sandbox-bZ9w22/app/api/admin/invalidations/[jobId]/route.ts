// @ts-nocheck
import { asAdmin, json } from '~/server/http/respond';
import { jobIdSchema } from '~/server/invalidation/schema';
import { getServices } from '~/server/services';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function GET(req: Request, { params }: { params: Promise<{ jobId: string }> }) {
  return asAdmin(req, async () => {
    const jobId = jobIdSchema.parse((await params).jobId);
    return json(await getServices().invalidation.get(jobId));
  });
}
