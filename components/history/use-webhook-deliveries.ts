'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/components/trpc/client';

/**
 * A finished job's webhook deliveries. They are enqueued once the job ends and retried with backoff,
 * so the query looks again every 2 s while one is pending, and a few times while none has appeared yet.
 */
export function useWebhookDeliveries(jobId: string, finished: boolean) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.webhooks.deliveries.queryOptions({ jobId }),
    enabled: finished,
    refetchInterval: (query) => (query.state.data?.some((d) => d.status === 'pending') || (finished && !query.state.data?.length && query.state.dataUpdateCount < 3) ? 2000 : false),
  });
}
