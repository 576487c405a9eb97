import { z } from 'zod';

/**
 * What the activity channel carries: each job event (so every open panel learns of jobs started
 * elsewhere: another admin, a script on the REST endpoint, another instance) and each catalog
 * rebuild. Notifications only: a missed one delays a view, it never loses data.
 */
export const activitySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('job'),
    jobId: z.string(),
    type: z.enum(['queued', 'started', 'progress', 'completed', 'failed']),
    at: z.number(),
    /** The event's stream id and its stored JSON, added by the scripts that append it: job streams yield it without a read. */
    id: z.string().regex(/^\d+-\d+$/).optional(),
    event: z.string().optional(),
  }),
  z.object({ kind: z.literal('catalog'), reason: z.enum(['rebuilt', 'seeded', 'held', 'reviewed']), providers: z.union([z.literal('all'), z.array(z.string())]), at: z.number() }),
  /** A schedule was saved or removed (by any admin, on any instance): schedule lists refetch. */
  z.object({ kind: z.literal('schedules'), at: z.number() }),
  /** A credential may have ended (disable, revoke, sign-out, password change): every instance forgets cached callers. */
  z.object({ kind: z.literal('access'), at: z.number() }),
]);
export type Activity = z.infer<typeof activitySchema>;
export type CatalogActivity = Extract<Activity, { kind: 'catalog' }>;
