/** Schemas of the invalidation domain, shared by the routers, the REST routes, the engine and the tests. */
import { z } from 'zod';
import { JOB_ID } from '~/clients/node/instance-protocol';
import { actorSchema } from '~/server/identity/schema';
import { providerNameSchema } from '~/server/catalog/schema';
import { instancesConfirmationSchema } from '~/server/instances/schema';
import { providerRefreshSchema } from './refresh-schema';

export const MAX_PROVIDERS_PER_REQUEST = 10_000;

export const invalidationRequestSchema = z.object({
  providers: z.union([
    z.literal('all'),
    z
      .array(providerNameSchema)
      .min(1, 'providers is empty: name at least one provider, or "all"')
      .max(MAX_PROVIDERS_PER_REQUEST, `at most ${MAX_PROVIDERS_PER_REQUEST} providers per request`),
  ]),
  cacheType: z.enum(['models', 'all']).default('models'),
  /** Also drop the full catalog once, at the end (the old endpoint always did). */
  cascade: z.boolean().default(true),
  /** Fetch each provider's catalog from its source right after, and report what changed (refresh.ts). Default: on for soft, off for delete. */
  refresh: z.boolean().optional(),
  /**
   * `delete` (the old endpoint's): the keys go, the next reader rebuilds. `soft`: each provider is
   * marked stale and readers keep the old catalog, flagged, while one fenced rebuild runs.
   */
  mode: z.enum(['delete', 'soft']).default('delete'),
});
export type InvalidationRequestInput = z.input<typeof invalidationRequestSchema>;
export type InvalidationRequest = z.output<typeof invalidationRequestSchema>;

/**
 * Job ids sort by creation time: 9 base-36 chars of milliseconds, then 10 random hex chars. One
 * pattern, the confirmation protocol's: participants derive a job's ack key only from an id it matches.
 */
export { JOB_ID };
export const jobIdSchema = z.string().regex(JOB_ID, 'not a job id');

export const jobStatusSchema = z.enum(['queued', 'running', 'completed', 'failed']);
export type JobStatus = z.infer<typeof jobStatusSchema>;

export const takeoverSchema = z.object({
  /** The instance that finished the job after the one running it stopped renewing its lease. */
  by: z.string(),
  from: z.string(),
  attempt: z.number().int(),
});

export const resultSchema = z.object({
  success: z.boolean(),
  providersInvalidated: z.number().int(),
  keysDeleted: z.number().int(),
  durationMs: z.number().int(),
  /** Per provider, when the job refreshed: what the source answered compared with the cache. */
  refresh: z.array(providerRefreshSchema).optional(),
  /** Soft invalidation: models hashes marked stale. */
  keysMarkedStale: z.number().int().optional(),
  /**
   * The keys the job's plan sent to Redis (deleted, or marked stale when soft), the first LISTED_KEYS
   * (plan.ts) of `total`; per-model keys are counted in `keysDeleted`, not listed. Kept in the record
   * for the job's page; lists (history, the Jobs view) leave it out.
   */
  plannedKeys: z.object({ keys: z.array(z.string()), total: z.number().int() }).optional(),
  takenOver: takeoverSchema.optional(),
  /**
   * The live instances (and gateways) told of the deletions, and which acknowledged dropping their
   * copies within INSTANCE_CONFIRM_TIMEOUT_MS. A job whose instances did not all confirm still
   * completes: the deletions are done; the missing are named.
   */
  instances: instancesConfirmationSchema.optional(),
});
export type InvalidationResult = z.infer<typeof resultSchema>;

export const commandErrorSchema = z.object({ command: z.string(), keys: z.array(z.string()), error: z.string() });
export const jobErrorSchema = z.object({
  message: z.string(),
  /** What Redis said for each command that failed, when it got that far. */
  commandErrors: z.array(commandErrorSchema),
});
export type JobError = z.infer<typeof jobErrorSchema>;
export type CommandError = z.infer<typeof commandErrorSchema>;

export const stageSchema = z.enum(['providers', 'pricing', 'refresh']);
export type Stage = z.infer<typeof stageSchema>;

const at = z.number().int();
export const jobEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('queued'), at, providersTotal: z.number().int() }),
  z.object({
    type: z.literal('started'),
    at,
    providersTotal: z.number().int(),
    keysPlanned: z.number().int(),
    /** Set when another instance took the job over from one that died. */
    takenOver: takeoverSchema.optional(),
  }),
  z.object({
    type: z.literal('progress'),
    at,
    stage: stageSchema,
    providersDone: z.number().int(),
    providersTotal: z.number().int(),
    keysDeleted: z.number().int(),
    /** Stage `refresh`: the provider this event reports on. */
    refresh: providerRefreshSchema.optional(),
  }),
  z.object({ type: z.literal('completed'), at, result: resultSchema }),
  z.object({ type: z.literal('failed'), at, error: jobErrorSchema, result: resultSchema }),
]);
export type JobEvent = z.infer<typeof jobEventSchema>;
export type TerminalEvent = Extract<JobEvent, { type: 'completed' | 'failed' }>;
export const isTerminal = (e: JobEvent): e is TerminalEvent => e.type === 'completed' || e.type === 'failed';

/** An event with its stream id, which is also its SSE id. */
export interface StoredEvent {
  id: string;
  event: JobEvent;
}

/** Who asked: defined in the identity schema (kind and label as before). */
export { actorSchema, type Actor } from '~/server/identity/schema';

/** Where a request came from. */
export const viaSchema = z.enum(['trpc', 'rest', 'schedule']);
export type Via = z.infer<typeof viaSchema>;

/** Everyone who asked for a job: its creator first, then each request that joined it (coalescing). */
export const askerSchema = z.object({ actor: actorSchema, at: z.number().int(), via: viaSchema });
export type Asker = z.infer<typeof askerSchema>;

export const jobRecordSchema = z.object({
  id: z.string(),
  status: jobStatusSchema,
  request: invalidationRequestSchema,
  actor: actorSchema,
  providersTotal: z.number().int(),
  createdAt: z.number().int(),
  startedAt: z.number().int().nullable(),
  finishedAt: z.number().int().nullable(),
  result: resultSchema.nullable(),
  error: jobErrorSchema.nullable(),
  /** Who asked (the first few hundred; `joined` counts every request that joined). */
  askers: z.array(askerSchema),
  joined: z.number().int(),
  /** 1, or more once another instance took the job over. */
  attempt: z.number().int(),
});
export type JobRecord = z.infer<typeof jobRecordSchema>;

export const historyQuerySchema = z
  .object({
    limit: z.number().int().min(1).max(100).default(20),
    cursor: jobIdSchema.nullish(),
    provider: providerNameSchema.optional(),
    status: jobStatusSchema.optional(),
    /** Jobs created at or after this time (epoch ms). */
    from: z.number().int().min(0).optional(),
    /** Jobs created at or before this time (epoch ms). */
    to: z.number().int().min(0).optional(),
    /** Jobs whose id contains this (a pasted id or part of one). */
    jobId: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[0-9a-z]{1,40}$/, 'a job id has only letters and digits')
      .optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'the start of the date range is after its end', path: ['from'] });
export type HistoryQuery = z.output<typeof historyQuerySchema>;
export type HistoryQueryInput = z.input<typeof historyQuerySchema>;
export interface HistoryPage {
  items: JobRecord[];
  nextCursor: string | null;
}

/** The shared Jobs view: how long a finished job stays in it, and how many ids each index read takes. */
export const RECENT_WINDOW_MS = 15 * 60_000;
export const RECENT_LIMIT = 50;

/** A job of the shared Jobs view, `mine` when the caller started it (same account, token or bootstrap admin). */
export interface RecentJob extends JobRecord {
  mine: boolean;
}
export interface RecentJobs {
  items: RecentJob[];
  /** Finished jobs leave the view this long after they finished. */
  windowMs: number;
}

/** What `start` answers: the job that will do the work, and whether the request joined an existing one. */
export interface StartResult {
  jobId: string;
  coalesced: boolean;
}
