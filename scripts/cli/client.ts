/**
 * The CLI's typed tRPC client (the app's own AppRouter type, erased at run time): queries and
 * mutations over HTTP, subscriptions over SSE with the `eventsource` package (Node has no global
 * EventSource), the bearer token on both.
 */
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { EventSource } from 'eventsource';
import type { AppRouter } from '~/server/trpc/root';

export type CatalogClient = ReturnType<typeof catalogClient>;

export function catalogClient(baseUrl: string, token: string) {
  const url = `${baseUrl.replace(/\/+$/, '')}/api/trpc`;
  const authorization = { authorization: `Bearer ${token}` };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: { fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, ...authorization } }) },
        }),
        false: httpBatchLink({ url, headers: authorization }),
      }),
    ],
  });
}

/**
 * Exit codes a pipeline can branch on. 2–5: no job was started. 6: a job was started (its id is
 * printed) and its end is unknown; running the command again would start a second one.
 */
export const EXIT = { ok: 0, jobFailed: 1, usage: 2, refused: 3, rateLimited: 4, unavailable: 5, jobStateUnknown: 6 } as const;

export interface Refusal {
  exitCode: number;
  code: string;
  httpStatus: number | null;
  message: string;
  retryAfterSeconds?: number;
}

/** A failed call in words, with the exit code it earns. */
export function describeFailure(err: unknown, baseUrl: string): Refusal {
  if (err instanceof TRPCClientError) {
    const data = (err.data ?? {}) as { code?: string; httpStatus?: number; retryAfterSeconds?: number };
    const code = data.code ?? 'UNKNOWN';
    const httpStatus = data.httpStatus ?? null;
    if (!data.code) {
      // No tRPC answer at all: the server is unreachable, or something else answered.
      const cause = (err.cause as { cause?: { code?: string }; message?: string } | undefined) ?? {};
      return { exitCode: EXIT.unavailable, code: 'UNREACHABLE', httpStatus, message: `could not reach ${baseUrl}: ${cause.cause?.code ?? cause.message ?? err.message}` };
    }
    const exitCode =
      code === 'UNAUTHORIZED' || code === 'FORBIDDEN'
        ? EXIT.refused
        : code === 'TOO_MANY_REQUESTS'
          ? EXIT.rateLimited
          : code === 'SERVICE_UNAVAILABLE' || code === 'INTERNAL_SERVER_ERROR' || code === 'TIMEOUT'
            ? EXIT.unavailable
            : EXIT.usage;
    const wait = typeof data.retryAfterSeconds === 'number' ? data.retryAfterSeconds : undefined;
    const hint =
      code === 'UNAUTHORIZED'
        ? ' (check CATALOG_TOKEN or --token)'
        : code === 'FORBIDDEN' && !/scope/.test(err.message)
          ? ' (this token lacks the role)'
          : code === 'TOO_MANY_REQUESTS' && wait !== undefined && !/\d+ ?s/.test(err.message)
            ? ` (try again in ${wait} s)`
            : '';
    return { exitCode, code, httpStatus, message: `${err.message}${hint}`, ...(wait !== undefined ? { retryAfterSeconds: wait } : {}) };
  }
  return { exitCode: EXIT.unavailable, code: 'ERROR', httpStatus: null, message: err instanceof Error ? err.message : String(err) };
}
