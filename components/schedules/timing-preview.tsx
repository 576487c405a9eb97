'use client';

import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import { Time } from '~/components/common/time';
import { useNow } from '~/components/common/use-now';
import { useTRPC } from '~/components/trpc/client';
import { cronInWords } from '~/server/lib/cron-words';
import { describeTiming, type Timing } from '~/server/schedule/schema';
import { formatIn } from './schedule-words';

/**
 * Before saving: the timing in words (a cron expression read aloud) and its next three runs, as
 * the server computes them with the same parser and checks as save (schedules.preview), or why
 * saving it would be refused.
 */
export function TimingPreview({ timing }: { timing: Timing | null }) {
  const trpc = useTRPC();
  const now = useNow(30_000);
  const query = useQuery(trpc.schedules.preview.queryOptions(timing ? { timing } : skipToken, { placeholderData: keepPreviousData, staleTime: 10_000 }));
  const words = timing === null ? null : timing.kind === 'cron' ? (cronInWords(timing.expression) ?? `${describeTiming(timing)}: read the next runs below`) : describeTiming(timing);
  return (
    <section className="timing-preview" aria-label="When it runs" aria-live="polite">
      <p>
        <strong>{words ?? 'Enter when it runs.'}</strong>
      </p>
      {query.data?.error ? (
        <p className="outcome-bad">Cannot be saved: {query.data.error}</p>
      ) : query.data?.next.length ? (
        <>
          <p className="muted">Next runs if saved now:</p>
          <ol className="next-runs" aria-label="Next runs">
            {query.data.next.map((at) => (
              <li key={at}>
                <Time at={at} /> <span className="muted">({formatIn(at, now)})</span>
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
