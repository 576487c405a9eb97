import 'server-only';
import type { Caller } from '~/server/auth/access';
import type { Principal } from '~/server/identity/schema';
import type { Context } from './init';

/** In-process callers (tests, createCaller) have no address or user agent. */
export const IN_PROCESS = { address: 'in-process', userAgent: '' };

/** Who acted and from where, for the audit entries of a procedure. */
export function callerOf(ctx: Context & { actor: Principal }): Caller {
  const { address, userAgent } = ctx.request ?? IN_PROCESS;
  return { principal: ctx.actor, info: { address, userAgent } };
}
