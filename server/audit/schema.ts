/** The audit trail's entries and queries. */
import { z } from 'zod';
import { actorSchema } from '~/server/identity/schema';

export const auditActions = [
  'auth.sign-in',
  'auth.sign-out',
  'auth.sign-out-everywhere',
  'auth.password-change',
  'account.create',
  'account.disable',
  'account.enable',
  'token.create',
  'token.revoke',
  'invalidation.start',
  'schedule.save',
  'schedule.remove',
  'call.refused',
] as const;
export const auditActionSchema = z.enum(auditActions);
export type AuditAction = z.infer<typeof auditActionSchema>;

/** `success`; `failure` (a wrong password); `refused` (no access, wrong origin, rate limited). */
export const auditOutcomeSchema = z.enum(['success', 'failure', 'refused']);
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>;

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.number().int(),
  action: auditActionSchema,
  outcome: auditOutcomeSchema,
  /** Who, when known (a failed sign-in names the username tried in `details`, not here). */
  actor: actorSchema.nullable(),
  /** The actor in a word (username, token name, "admin (bootstrap)"), or "anonymous": what the filter matches. */
  actorName: z.string(),
  address: z.string(),
  userAgent: z.string(),
  /** What it was about: a job id, an account, a token, a procedure path. */
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditInput = Omit<AuditEntry, 'id' | 'at' | 'actorName' | 'target' | 'details'> & {
  actorName?: string;
  target?: string | null;
  details?: Record<string, unknown>;
};

const STREAM_ID = /^\d{1,15}-\d{1,10}$/;
/** Not strict: infinite queries add their own keys (`direction`). */
/** `trail`: everything security-relevant; `anonymous`: refusals of callers nobody signed in (see `streamOf`). */
export const auditStreamSchema = z.enum(['trail', 'anonymous']);
export type AuditStream = z.infer<typeof auditStreamSchema>;

/**
 * Where an entry goes. Anything done or refused with a known actor, and every checked sign-in
 * (success or wrong password: each is charged to the sign-in limits, so their number is bounded), goes
 * to the trail. What anyone can cause without a credential and without limit (a refused anonymous
 * call, a throttled sign-in, a sign-out with no session) goes to the anonymous stream, capped on its
 * own: a flood of it can only push out its own kind.
 */
export function streamOf(entry: Pick<AuditEntry, 'action' | 'outcome' | 'actor'>): AuditStream {
  if (entry.actor) return 'trail';
  return entry.action === 'auth.sign-in' && entry.outcome !== 'refused' ? 'trail' : 'anonymous';
}

export const auditQuerySchema = z.object({
  stream: auditStreamSchema.default('trail'),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(STREAM_ID, 'not an audit cursor').nullish(),
  actor: z.string().trim().min(1).max(64).optional(),
  action: auditActionSchema.optional(),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;
export type AuditQueryInput = z.input<typeof auditQuerySchema>;
export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}
