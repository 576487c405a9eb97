/** JSON responses and error mapping for the REST route handlers (the tRPC API has its own). */
import 'server-only';
import { z } from 'zod';
import { describeForLog, DomainError, type DomainErrorCode } from '~/server/lib/errors';
import { describeZodError } from '~/server/lib/validation';
import { isConnectionError } from '~/server/redis/connection';

const statuses: Record<DomainErrorCode, number> = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  BUSY: 429,
  UNAVAILABLE: 503,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

export function errorResponse(err: unknown): Response {
  if (err instanceof z.ZodError) {
    return json({ error: describeZodError(err), issues: z.flattenError(err) }, 400);
  }
  if (DomainError.is(err)) {
    const retry = err.details?.retryAfterSeconds;
    return json({ error: err.message, ...err.details }, statuses[err.code], typeof retry === 'number' ? { 'retry-after': String(retry) } : {});
  }
  if (isConnectionError(err)) return json({ error: 'Redis is unavailable; try again when it is back' }, 503);
  console.error(`[http] unexpected error: ${describeForLog(err)}`);
  return json({ error: 'Internal error' }, 500);
}
