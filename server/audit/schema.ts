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
  'policy.save',
  'catalog.approve',
  'catalog.reject',
  'catalog.saveOverride',
  'catalog.removeOverride',
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

/**
 * A position in the trail: a stream id, and which stream it is in (entries of two streams can share
 * an id). A bare stream id (a cursor from before the split) means "after this id in every stream".
 */
const POSITION = /^\d{1,15}-\d{1,10}(@(admin|others|anonymous))?$/;
/** What a reader asks for: `trail` (admins' actions and everything signed-in callers did, merged) or `anonymous`. */
export const auditStreamSchema = z.enum(['trail', 'anonymous']);
export type AuditStream = z.infer<typeof auditStreamSchema>;
/** Where an entry is stored (see `storeOf`); the `trail` view merges `admin` and `others`. */
export type AuditStore = 'admin' | 'others' | 'anonymous';
export const auditStoresOf = (stream: AuditStream): AuditStore[] => (stream === 'anonymous' ? ['anonymous'] : ['admin', 'others']);

/**
 * Where an entry goes, decided from the entry alone, so whoever writes it (a door refusing a call,
 * sign-in, a script) cannot put it elsewhere. Each store is capped on its own: a flood of one kind
 * can only push out entries of its own kind.
 * - `admin`: what an admin principal did (any outcome) but a refused call. Only an admin can write
 *   here: a refused call is excluded because another site can make an admin's browser send them
 *   (a cross-origin request carrying the cookie is refused with the admin as actor).
 * - `others`: everything else done or refused with a known actor, and every checked sign-in (a wrong
 *   password too: each is charged to the sign-in limits, but many addresses together are not bounded).
 * - `anonymous`: what anyone can cause without a credential and without limit (a refused anonymous
 *   call, a throttled sign-in, a sign-out with no session).
 */
export function storeOf(entry: Pick<AuditEntry, 'action' | 'outcome' | 'actor'>): AuditStore {
  if (entry.actor?.role === 'admin' && entry.action !== 'call.refused') return 'admin';
  if (entry.actor) return 'others';
  return entry.action === 'auth.sign-in' && entry.outcome !== 'refused' ? 'others' : 'anonymous';
}

/** Not strict: infinite queries add their own keys (`direction`). */
export const auditQuerySchema = z.object({
  stream: auditStreamSchema.default('trail'),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(POSITION, 'not an audit cursor').nullish(),
  actor: z.string().trim().min(1).max(64).optional(),
  action: auditActionSchema.optional(),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;
export type AuditQueryInput = z.input<typeof auditQuerySchema>;
export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}
