// @ts-nocheck
const LABELS: Record<string, string> = {
  starting: 'Starting',
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  'start-failed': 'Not started',
  missing: 'Not found',
  unknown: 'Waiting',
};

const TONES: Record<string, string> = {
  completed: 'ok',
  failed: 'bad',
  'start-failed': 'bad',
  missing: 'bad',
  running: 'info',
};

/** A job status in words (the colour only repeats what the text says). */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${TONES[status] ?? 'neutral'}`}>{LABELS[status] ?? status}</span>;
}
