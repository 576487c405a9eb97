'use client';

import { skipToken } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { createContext, useCallback, useContext, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useTRPC } from '~/components/trpc/client';
import { applyItem, nextSubscription, type HeldJob, type StreamItem, type Subscribed } from './job-stream-state';

/** What every job panel of the page reads: the jobs' events so far and the one stream's state. */
interface JobStream {
  /** Follows a job while the caller is mounted (counted: two panels of one job follow it once). */
  follow(jobId: string): () => void;
  held: ReadonlyMap<string, HeldJob>;
  subscribed: Subscribed | null;
  status: 'idle' | 'connecting' | 'pending' | 'error';
  error: unknown;
}

const JobStreamContext = createContext<JobStream | null>(null);

/** The events received, outside React state so the stream's callback never sees a stale copy. */
function createHeld() {
  let held: ReadonlyMap<string, HeldJob> = new Map();
  const listeners = new Set<() => void>();
  return {
    get: () => held,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    apply(item: StreamItem) {
      const next = applyItem(held, item);
      if (next === held) return;
      held = next;
      listeners.forEach((l) => l());
    },
  };
}

/**
 * One `invalidation.jobsEvents` subscription for every job the page follows, so twenty running
 * jobs cost one connection (a browser allows six per origin over HTTP/1.1). It reopens only to
 * add a job, with the cursor of what it has; tRPC resumes it after a drop with the last SSE id.
 * Mounted once, around every page (app/layout.tsx).
 */
export function JobStreamProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const [store] = useState(createHeld);
  const held = useSyncExternalStore(store.subscribe, store.get, store.get);
  const [followed, setFollowed] = useState<ReadonlyMap<string, number>>(() => new Map());
  const [subscribed, setSubscribed] = useState<Subscribed | null>(null);

  const follow = useCallback((jobId: string) => {
    const change = (by: number) => setFollowed((m) => new Map(m).set(jobId, (m.get(jobId) ?? 0) + by));
    change(1);
    return () => change(-1);
  }, []);

  // Adjusted while rendering (React's pattern for state derived from a change), not in an effect:
  // the stream opens in the same commit as the panel that needs it. Same object back: no loop.
  const next = nextSubscription(
    subscribed,
    [...followed].filter(([, n]) => n > 0).map(([id]) => id),
    held,
  );
  if (next !== subscribed) setSubscribed(next);

  const onData = useCallback((envelope: { data: StreamItem }) => store.apply(envelope.data), [store]);
  const input = subscribed ? { jobIds: subscribed.jobIds, lastEventId: subscribed.cursor } : skipToken;
  const sub = useSubscription(trpc.invalidation.jobsEvents.subscriptionOptions(input, { onData }));

  const value = useMemo<JobStream>(() => ({ follow, held, subscribed, status: sub.status, error: sub.error }), [follow, held, subscribed, sub.status, sub.error]);
  return <JobStreamContext.Provider value={value}>{children}</JobStreamContext.Provider>;
}

export function useJobStream(): JobStream {
  const stream = useContext(JobStreamContext);
  if (!stream) throw new Error('useInvalidation needs a JobStreamProvider above it (app/layout.tsx mounts one)');
  return stream;
}
