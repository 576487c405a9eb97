import { describeConfirmation } from './confirmation';
import type { InvalidationResult } from '~/server/invalidation/schema';

/**
 * Under a finished job's outcome: whether every live instance dropped its copies. The job
 * completed either way (its deletions are done); a missing one is a note, not a failure.
 */
export function ConfirmationLine({ result, endedAt }: { result: InvalidationResult | null; endedAt: number | null }) {
  const words = describeConfirmation(result?.instances, endedAt);
  if (!words) return null;
  return <p className={words.complete ? 'muted confirmation' : 'confirmation confirmation-missing'}>{words.text}</p>;
}
