/**
 * One live instance in words, for the home page's card. Pure (tests/components/instance-words.test.ts).
 * Ages use the viewer's clock against each participant's own: a skewed clock shows as "0 s".
 */
import { formatSpan, plural } from '~/components/common/format';
import type { LiveInstance } from '~/server/instances/schema';

/** "1.2 MB", "640 KB", "512 B". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "app 0.1.0 · up 3 min · last heartbeat 1 s ago · 12 copies held (1.2 MB)". */
export function describeInstance(i: Pick<LiveInstance, 'kind' | 'version' | 'since' | 'heartbeatAt' | 'entries' | 'bytes'>, now: number): string {
  const held = plural(i.entries, 'copy', 'copies');
  const size = i.bytes !== undefined && i.entries > 0 ? ` (${formatBytes(i.bytes)})` : '';
  return [
    `${i.kind === 'app' ? 'panel' : 'gateway'} ${i.version}`,
    `up ${formatSpan(now - i.since)}`,
    `last heartbeat ${formatSpan(now - i.heartbeatAt)} ago`,
    `${held} held${size}`,
  ].join(' · ');
}
