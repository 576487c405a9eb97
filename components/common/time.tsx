import { formatAgo, formatExact } from './format';

interface Props {
  /** Epoch milliseconds. */
  at: number;
  /** Given: the words are relative ("3 min ago") and the exact time with its zone is on hover. */
  now?: number;
  className?: string;
}

/**
 * Every time the panel shows: absolute with its zone ("2026-12-06 19:42:07 UTC"), or relative with
 * the exact time and zone on hover. Times are the viewer's local time, the zone says which.
 */
export function Time({ at, now, className }: Props) {
  const exact = formatExact(at);
  return (
    <time className={className} dateTime={new Date(at).toISOString()} title={exact}>
      {now === undefined ? exact : formatAgo(at, now)}
    </time>
  );
}
