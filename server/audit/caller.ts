/** Who made a change, as its audit entry says: the principal, and from where (a request's address and agent, or in-process). */
import 'server-only';
import { actorOf, type Principal } from '~/server/identity/schema';

export interface AuditCaller {
  principal: Principal;
  /** The request's client address and user agent; absent for an in-process caller. */
  info?: { address: string; userAgent: string };
}

/** The fields every successful change's entry starts with; the admission adds the action, target and details. */
export const successBy = ({ principal, info }: AuditCaller) => ({
  actor: actorOf(principal),
  actorName: principal.name,
  address: info?.address ?? 'in-process',
  userAgent: info?.userAgent ?? '',
  outcome: 'success' as const,
});
