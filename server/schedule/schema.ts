/** Scheduled refreshes: what an admin saves, and what the panel lists. */
import { z } from 'zod';
import { providerNameSchema } from '~/server/catalog/schema';
import { MAX_PROVIDERS_PER_REQUEST } from '~/server/invalidation/schema';

export const SCHEDULE_ID = /^s[0-9a-f]{12}$/;
export const scheduleIdSchema = z.string().regex(SCHEDULE_ID, 'not a schedule id');

export const timingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('interval'), everySeconds: z.number().int().min(1).max(30 * 86_400, 'at most every 30 days') }),
  /** Standard 5-field cron (or 6 with seconds), evaluated in UTC. */
  z.object({ kind: z.literal('cron'), expression: z.string().trim().min(1, 'the cron expression is empty').max(120) }),
]);
export type Timing = z.infer<typeof timingSchema>;

export const scheduleInputSchema = z.object({
  /** Present to update that schedule; absent to create one. */
  id: scheduleIdSchema.optional(),
  providers: z.union([
    z.literal('all'),
    z.array(providerNameSchema).min(1, 'providers is empty: name at least one provider, or "all"').max(MAX_PROVIDERS_PER_REQUEST),
  ]),
  timing: timingSchema,
  enabled: z.boolean().default(true),
});
export type ScheduleInput = z.output<typeof scheduleInputSchema>;

export const scheduleDefinitionSchema = scheduleInputSchema.extend({
  id: scheduleIdSchema,
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  /** Who saved it last (actor label). */
  updatedBy: z.string(),
});
export type ScheduleDefinition = z.infer<typeof scheduleDefinitionSchema>;

export const scheduleRunSchema = z.object({
  /** When the run was due (the period it stands for) and when it actually fired. */
  scheduledFor: z.number().int(),
  firedAt: z.number().int(),
  jobId: z.string().nullable(),
  coalesced: z.boolean().optional(),
  error: z.string().optional(),
});
export type ScheduleRun = z.infer<typeof scheduleRunSchema>;

export interface Schedule extends ScheduleDefinition {
  /** When it fires next; null when disabled. While a run is being started this is its claim's expiry. */
  nextAt: number | null;
  lastRun: ScheduleRun | null;
}

/** A schedule's timing in words: pure, so the panel shows it as the server logs it. */
export function describeTiming(timing: Timing): string {
  if (timing.kind === 'cron') return `cron ${timing.expression} (UTC)`;
  const s = timing.everySeconds;
  if (s % 86_400 === 0) return `every ${s / 86_400} d`;
  if (s % 3600 === 0) return `every ${s / 3600} h`;
  if (s % 60 === 0) return `every ${s / 60} min`;
  return `every ${s} s`;
}
