/**
 * Reading tRPC client errors without importing server types: every error the UI shows goes
 * through here, so the words are the same everywhere.
 */
// @ts-nocheck


/** The part of a TRPCClientError the UI reads. */
export interface ErrorLike {
  message: string;
  data?: { code?: string; zodError?: unknown } | null;
}

export function errorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object' || !('data' in error)) return undefined;
  const data = (error as ErrorLike).data;
  return typeof data?.code === 'string' ? data.code : undefined;
}

export const SESSION_ENDED = 'Your session has ended — sign in again';

/** A sentence a person can act on; the server's own message when it wrote one for people. */
export function describeError(error: unknown): string {
  const code = errorCode(error);
  if (code === 'UNAUTHORIZED') return SESSION_ENDED;
  const message = error instanceof Error || (error && typeof error === 'object' && 'message' in error) ? String((error as ErrorLike).message) : String(error);
  if (!code && /fetch|network|load failed/i.test(message)) return 'The server could not be reached; check your connection and try again';
  return message;
}

/** True when the server says the job does not exist (NOT_FOUND) or the id is malformed (BAD_REQUEST). */
export function isJobNotFound(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'NOT_FOUND' || code === 'BAD_REQUEST';
}
