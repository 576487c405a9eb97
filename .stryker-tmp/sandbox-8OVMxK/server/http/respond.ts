/** JSON responses and error mapping for the REST route handlers (the tRPC API has its own). */
// @ts-nocheck

import 'server-only';
import { z } from 'zod';
import type { Actor } from '~/server/invalidation/schema';
import { DomainError, type DomainErrorCode } from '~/server/invalidation/errors';
import { describeZodError } from '~/server/lib/validation';
import { isConnectionError } from '~/server/redis/connection';
import { getServices } from '~/server/services';

const statuses: Record<DomainErrorCode, number> = { BAD_REQUEST: 400, NOT_FOUND: 404, BUSY: 429, UNAVAILABLE: 503 };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

export function errorResponse(err: unknown): Response {
  if (err instanceof z.ZodError) {
    return json({ error: describeZodError(err), issues: z.flattenError(err) }, 400);
  }
  if (DomainError.is(err)) return json({ error: err.message, ...err.details }, statuses[err.code]);
  if (isConnectionError(err)) return json({ error: 'Redis is unavailable; try again when it is back' }, 503);
  console.error('[http] unexpected error:', err);
  return json({ error: 'Internal error' }, 500);
}

/** Runs the handler for an admin, or answers 401 without touching anything. */
export async function asAdmin(req: Request, handler: (actor: Actor) => Promise<Response>): Promise<Response> {
  try {
    const services = getServices();
    const actor = await services.authenticate(req.headers);
    if (!actor) {
      return json({ error: 'Unauthorized: send Authorization: Bearer <ADMIN_TOKEN>' }, 401, { 'www-authenticate': 'Bearer' });
    }
    return await handler(actor);
  } catch (err) {
    return errorResponse(err);
  }
}
