import { z } from 'zod';
import { instanceInfoSchema } from '~/server/lib/instance-protocol';

/**
 * Who confirmed a job's announcement: every participant live when it went out (heartbeat younger
 * than INSTANCE_TTL_MS), and of those the ones whose ack did not arrive within
 * INSTANCE_CONFIRM_TIMEOUT_MS, each with its last heartbeat (null: it left the registry meanwhile).
 */
export const instancesConfirmationSchema = z.object({
  confirmed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  missing: z.array(z.object({ id: z.string(), lastHeartbeatAt: z.number().nullable() })),
});
export type InstancesConfirmation = z.infer<typeof instancesConfirmationSchema>;

/** A live participant as the panel lists it. */
export const liveInstanceSchema = instanceInfoSchema;
export type LiveInstance = z.infer<typeof liveInstanceSchema>;

const plural = (n: number) => `${n} instance${n === 1 ? '' : 's'}`;

/** "2 of 2 instances confirmed", or which did not, in words (the job panel and the detail page). */
export function describeConfirmation(c: InstancesConfirmation, finishedAt?: number | null): string {
  if (c.total === 0) return 'no live instance held copies to confirm';
  const head = `${c.confirmed} of ${plural(c.total)} confirmed`;
  if (!c.missing.length) return head;
  const named = c.missing.map((m) => {
    if (m.lastHeartbeatAt === null) return `${m.id} (left the registry)`;
    if (!finishedAt) return `${m.id} (last heartbeat ${new Date(m.lastHeartbeatAt).toISOString()})`;
    return `${m.id} (last heartbeat ${Math.max(0, Math.round((finishedAt - m.lastHeartbeatAt) / 1000))} s before the end)`;
  });
  return `${head}; not confirmed: ${named.join(', ')}`;
}
