/**
 * The `call.refused` entry, written the same way by every door that refuses a call (tRPC procedures,
 * REST routes, the sign-in form's origin check). Pages do not audit: their API calls do.
 */
import 'server-only';
import { actorOf, type Level, type Principal } from '~/server/identity/schema';
import type { AuditTrail } from './trail';

export interface RefusedCall {
  principal: Principal | null;
  /** Where it came from, as RequestInfo says (in-process callers say `in-process`). */
  from: { address: string; userAgent: string };
  /** What was called: `trpc <path>` or `<METHOD> <path>`. */
  target: string;
  /** The door's answer, as the entry keeps it: `{ code }` for tRPC, `{ status }` for HTTP. */
  answer: { code: string } | { status: number };
  /** The words the caller was given. */
  message: string;
  /** The level the call asked for (absent where the refusal is not about one: the sign-in form). */
  level?: Level;
}

/** Never throws: an audit write failing (Redis down) must not turn a refusal into a 500. */
export async function recordRefusal(audit: Pick<AuditTrail, 'record'>, call: RefusedCall): Promise<void> {
  const { principal, from, target, answer, message, level } = call;
  await audit
    .record({
      action: 'call.refused',
      outcome: 'refused',
      actor: principal ? actorOf(principal) : null,
      actorName: principal?.name,
      address: from.address,
      userAgent: from.userAgent,
      target,
      details: { ...answer, reason: message, ...(level ? { level } : {}) },
    })
    .catch(() => {});
}
