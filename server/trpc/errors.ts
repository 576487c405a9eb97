import 'server-only';
import { TRPCError } from '@trpc/server';
import { DomainError, type DomainErrorCode } from '~/server/lib/errors';
import { isConnectionError } from '~/server/redis/connection';

const codes: Record<DomainErrorCode, TRPCError['code']> = {
  BAD_REQUEST: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  BUSY: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
};

/** A domain error or Redis outage as a TRPCError with a plain message; anything else is left alone. */
export function toTRPCError(err: unknown): TRPCError | unknown {
  if (err instanceof TRPCError) return err;
  if (DomainError.is(err)) return new TRPCError({ code: codes[err.code], message: err.message, cause: err });
  if (isConnectionError(err)) {
    return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'Redis is unavailable; try again when it is back', cause: err as Error });
  }
  return err;
}
