import type { Connection } from './use-invalidation';

/** Words that say what happened: a job that finished closed its stream on purpose, which is no error. */
const LABELS: Record<Connection, string> = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  finished: 'Finished · live updates closed',
  ended: 'Live updates stopped',
};

/** The SSE connection state as text, with a dot that only repeats it. */
export function ConnectionState({ connection, note }: { connection: Connection; note?: string | null }) {
  return (
    <span className={`conn conn-${connection}`} title={note ?? undefined}>
      <span className="conn-dot" aria-hidden="true" />
      <span>
        <span className="sr-only">Connection: </span>
        {LABELS[connection]}
      </span>
    </span>
  );
}
