/**
 * A job's `result.instances` in words, for the job panel and the job detail page. Pure, so the
 * wording is unit-tested (tests/components/confirmation.test.ts).
 *
 * The noun agrees with the total, as every count here does (`plural`): "1 of 1 instance
 * confirmed", "1 of 2 instances confirmed". A missing participant's last heartbeat is told
 * relative to when the job ended, not to now: the result froze it then, and "3 h ago" on an old
 * job would claim the instance has been silent since, which the result does not know.
 */
import { formatSpan, plural } from '~/components/common/format';
import type { InvalidationResult } from '~/server/invalidation/schema';

type Confirmation = NonNullable<InvalidationResult['instances']>;

export interface ConfirmationWords {
  text: string;
  /** Every live participant confirmed (or none was live): nothing for a person to look into. */
  complete: boolean;
}

/**
 * "2 of 2 instances confirmed", or "1 of 2 instances confirmed — not confirmed: <id> (last
 * heartbeat 4 s before the job ended)". Null when the result has no `instances` (jobs older than
 * confirmations): the page then says nothing rather than guess.
 */
export function describeConfirmation(instances: Confirmation | undefined, endedAt: number | null): ConfirmationWords | null {
  if (!instances) return null;
  if (instances.total === 0) return { text: 'No live instance to confirm', complete: true };
  const head = `${instances.confirmed} of ${plural(instances.total, 'instance')} confirmed`;
  if (!instances.missing.length) return { text: head, complete: true };
  const named = instances.missing.map(({ id, lastHeartbeatAt }) => {
    if (lastHeartbeatAt === null) return `${id} (no longer registered)`;
    if (endedAt === null) return `${id}`;
    return `${id} (last heartbeat ${formatSpan(endedAt - lastHeartbeatAt)} before the job ended)`;
  });
  return { text: `${head} — not confirmed: ${named.join(', ')}`, complete: false };
}
