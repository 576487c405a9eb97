// @ts-nocheck
'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchStreamLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { useState, type ReactNode } from 'react';
import type { AppRouter } from '~/server/trpc/root';
import { getQueryClient } from './query-client';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** Same origin: the browser sends the httpOnly session cookie by itself. No transformer: plain JSON. */
const url = '/api/trpc';

function makeTRPCClient() {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // SSE; on reconnect the link sends the last tracked id back, so a resumed stream skips nothing.
        true: httpSubscriptionLink({ url }),
        false: httpBatchStreamLink({ url }),
      }),
    ],
  });
}

/** Wraps the app once (in app/layout.tsx): the QueryClient and the tRPC client for every client component. */
export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(makeTRPCClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
