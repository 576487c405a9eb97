// @ts-nocheck
import type { Connection } from './use-invalidation';

const LABELS: Record<Connection, string> = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  ended: 'Stream ended',
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
