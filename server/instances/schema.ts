import { z } from 'zod';
import { instanceInfoSchema } from '~/clients/node/instance-protocol';

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
