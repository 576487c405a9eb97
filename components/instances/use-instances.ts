'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/components/trpc/client';

/**
 * The live instances for the home page's card. Refetched every 5 s (heartbeats come every
 * INSTANCE_HEARTBEAT_MS, 2 s by default; an instance drops off after INSTANCE_TTL_MS, 15 s) and
 * whenever a job ends (useActivity), when the copies held change most.
 */
export function useInstances() {
  const trpc = useTRPC();
  const query = useQuery(trpc.instances.list.queryOptions(undefined, { refetchInterval: 5_000, refetchOnWindowFocus: true }));
  return { query, self: query.data?.self ?? null, instances: query.data?.instances ?? [] };
}
