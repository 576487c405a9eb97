/**
 * The audit trail as JSON lines (one entry per line, newest first), for admins:
 * `GET /api/admin/audit?actor=<name>&action=<action>` (the admins' and the others' streams merged;
 * `&stream=anonymous`: the refusals of callers nobody signed in, kept apart). Streams page by page,
 * so a long trail never sits in memory at once.
 */
import { z } from 'zod';
import { auditActionSchema, auditStreamSchema } from '~/server/audit/schema';
import { route } from '~/server/http/route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const querySchema = z.strictObject({ actor: z.string().trim().min(1).max(64).optional(), action: auditActionSchema.optional(), stream: auditStreamSchema.default('trail') });

export const GET = route('admin', async (req, { services }) => {
  const filters = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  const encoder = new TextEncoder();
  let cursor: string | null | undefined;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const page = await services.audit.list({ ...filters, limit: 200, cursor });
      if (page.items.length) controller.enqueue(encoder.encode(page.items.map((e) => `${JSON.stringify(e)}\n`).join('')));
      cursor = page.nextCursor;
      if (!cursor) controller.close();
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'content-disposition': `attachment; filename="audit-${stamp}.jsonl"`, 'cache-control': 'no-store' },
  });
});
