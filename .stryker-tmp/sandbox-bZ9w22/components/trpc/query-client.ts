// @ts-nocheck
import { QueryClient, isServer } from '@tanstack/react-query';
import { errorCode } from '~/components/common/trpc-error';

/** Codes that retrying cannot fix: say so at once instead of after three backoffs. */
const FINAL = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST', 'TOO_MANY_REQUESTS']);

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        refetchOnWindowFocus: true,
        // One quick retry for a blip; a Redis outage is then shown in words within a couple of seconds.
        retry: (failures, error) => failures < 1 && !FINAL.has(errorCode(error) ?? ''),
        retryDelay: 800,
      },
      mutations: { retry: false },
    },
  });
}

let browserClient: QueryClient | undefined;

/**
 * One QueryClient per browser tab, a fresh one per server render (so no data leaks between requests).
 * @see https://tanstack.com/query/v5/docs/framework/react/guides/advanced-ssr
 */
export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}
