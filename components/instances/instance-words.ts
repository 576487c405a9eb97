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

/**
 * A participant's name a person reads: "vm-3, process 13410" from an id `host:pid:startedAt`
 * (instanceIdOf); any other id (a gateway names itself) as it is.
 */
export function instanceName(id: string): string {
  const match = /^(.+):(\d+)(?::[0-9a-z]+)?$/.exec(id);
  return match ? `${match[1]}, process ${match[2]}` : id;
}

/** "12 cached copies held (1.2 MB)", "no cached copies held yet": what it would have to drop. */
function heldWords(entries: number, bytes: number | undefined): string {
  if (entries === 0) return 'no cached copies held yet';
  const size = bytes !== undefined ? ` (${formatBytes(bytes)})` : '';
  return `${plural(entries, 'cached copy', 'cached copies')} held${size}`;
}

/** "panel 0.1.0 · up 3 min · last heartbeat 1 s ago · 12 cached copies held (1.2 MB)". */
export function describeInstance(i: Pick<LiveInstance, 'kind' | 'version' | 'since' | 'heartbeatAt' | 'entries' | 'bytes'>, now: number): string {
  return [
    `${i.kind === 'app' ? 'panel' : 'gateway'} ${i.version}`,
    `up ${formatSpan(now - i.since)}`,
    `last heartbeat ${formatSpan(now - i.heartbeatAt)} ago`,
    heldWords(i.entries, i.bytes),
  ].join(' · ');
}
