import { formatClock, plural } from '~/components/common/format';
import { completedWords, diffCounts } from '~/components/jobs/outcome-words';
import type { JobEvent, StoredEvent } from '~/server/invalidation/schema';

function details(event: JobEvent, mode?: 'delete' | 'soft'): string {
  switch (event.type) {
    case 'queued':
      return `Queued for ${plural(event.providersTotal, 'provider')}`;
    case 'started':
      return `${event.takenOver ? `Taken over by ${event.takenOver.by} from ${event.takenOver.from} (attempt ${event.takenOver.attempt}). ` : ''}Started: ${plural(event.providersTotal, 'provider')}, ${plural(event.keysPlanned, 'key')} planned`;
    case 'progress':
      if (event.stage === 'refresh' && event.refresh) {
        const r = event.refresh;
        return r.status === 'failed' ? `${r.provider}: refresh failed: ${r.error ?? ''}` : `${r.provider}: ${r.status} (${diffCounts(r)})`;
      }
      if (event.stage === 'pricing') return 'Pricing table rebuilt';
      return mode === 'soft'
        ? `${event.providersDone} of ${plural(event.providersTotal, 'provider')} marked stale`
        : `${event.providersDone} of ${plural(event.providersTotal, 'provider')} done, ${plural(event.keysDeleted, 'key')} deleted`;
    case 'completed':
      return completedWords(event.result, mode);
    case 'failed':
      return `${event.error.message} (after ${plural(event.result.keysDeleted, 'key')} deleted)`;
  }
}

/** The job's events in stream order, each with its time, type and what it says. */
export function JobTimeline({ events, waiting, mode }: { events: StoredEvent[]; waiting: boolean; mode?: 'delete' | 'soft' }) {
  return (
    <section className="card" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading" className="section-title">
        Event timeline
      </h2>
      {events.length === 0 ? (
        <p className="empty">{waiting ? 'Loading events…' : 'No events recorded.'}</p>
      ) : (
        <ol className="timeline" aria-label="Event timeline">
          {events.map(({ id, event }) => (
            <li key={id} className={`timeline-item timeline-${event.type}`}>
              <time className="timeline-time" dateTime={new Date(event.at).toISOString()}>
                {formatClock(event.at, true)}
              </time>
              <span className="timeline-type">{event.type}</span>
              <span className="timeline-details">{details(event, mode)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
