/**
 * The one access decision, for every door (tRPC procedures, REST routes, pages): pure, so a table
 * test walks every combination. Each door only maps the reason to its own answer (a TRPCError code,
 * an HTTP status, a redirect) and writes the audit entry with `recordRefusal` (server/audit).
 *
 * In order: a state-changing request carrying the session cookie from another origin (cross-site
 * request forgery), nobody signed in, an initial password not yet changed, a role below the level,
 * then what the input asks for: a provider outside the caller's scope (or "all" from a scoped
 * caller), and a credential made with more than its maker has. The origin rule comes first and holds
 * at every level, `public` included: sign-out is public too.
 *
 * The input's facts (`providers`, `grants`) are known only once the input is parsed: the doors ask
 * once before parsing (level) and again after it with those facts, always before anything is written.
 *
 * Levels are data (`rank` in schema.ts): a new role is a line there, and the messages name the roles
 * a level allows from the same data; the doors never name a level.
 */
import 'server-only';
import { allows, roleSchema, type Level, type Principal, type Role } from './schema';

/** What the door knows about the request besides who sent it. */
export interface RequestFacts {
  /** It may change state (POST, a tRPC mutation): only those are guarded against other origins. */
  unsafe: boolean;
  /** Authenticated by our session cookie, if by anything (no Authorization header). */
  hasSessionCookie: boolean;
  /** Its Origin header names this app. */
  sameOrigin: boolean;
}

export interface AccessQuestion {
  principal: Principal | null;
  level: Level;
  request: RequestFacts;
  /** The password change itself: the one door open to an account still on its initial password. */
  passwordChange?: boolean;
  /** The providers the request acts on (an invalidation, its preview, a schedule): within the caller's scope. */
  providers?: 'all' | readonly string[];
  /** The credential the request makes (a token, an account): never more than the caller's own. */
  grants?: { role: Role; providers?: readonly string[] };
}

export const refusalReasons = ['cross-origin', 'signed-out', 'initial-password', 'role', 'scope', 'ceiling'] as const;
export type RefusalReason = (typeof refusalReasons)[number];

export interface Refusal {
  allow: false;
  reason: RefusalReason;
  /**
   * The same words at every door, for a person. They start with what REST said before ("Unauthorized:",
   * "Forbidden:"): scripts and tests read REST's words; tRPC sends its code beside them.
   */
  message: string;
}
export type AccessDecision = { allow: true } | Refusal;

/** A page is a GET: no origin rule applies. */
export const PAGE_REQUEST: RequestFacts = { unsafe: false, hasSessionCookie: false, sameOrigin: true };

const withArticle = (role: Role) => (/^[aeiou]/.test(role) ? `an ${role}` : `a ${role}`);

/** "an admin", or "an operator or an admin": every role the level lets in, from the same data. */
const whoMay = (level: Level) =>
  roleSchema.options
    .filter((role) => allows(role, level))
    .map(withArticle)
    .join(' or ');

const refuse = (reason: RefusalReason, message: string): Refusal => ({ allow: false, reason, message });

/** "provider groq is" / "providers groq, xai are": the names outside the scope, each named. */
const outsideWords = (names: readonly string[]) => (names.length === 1 ? `provider ${names[0]} is` : `providers ${names.join(', ')} are`);

/** Why `asked` leaves `scope` (absent: every provider), or null when it stays inside. */
function beyondScope(scope: readonly string[] | undefined, asked: 'all' | readonly string[], what: string): string | null {
  if (!scope) return null;
  const within = `this credential may act only on ${scope.join(', ')}`;
  if (asked === 'all') return `Forbidden: ${what} needs an unscoped credential; ${within}`;
  const outside = asked.filter((name) => !scope.includes(name));
  return outside.length ? `Forbidden: ${outsideWords(outside.slice(0, 20))} outside this credential's scope (${within})` : null;
}

/** Why a credential `principal` makes with `grant` would have more than `principal` has, or null. */
function beyondMaker(principal: Principal, grant: NonNullable<AccessQuestion['grants']>): string | null {
  if (!allows(principal.role, grant.role)) return `Forbidden: a credential never gets more than its maker: ${withArticle(principal.role)} cannot make ${withArticle(grant.role)}`;
  return beyondScope(principal.providers, grant.providers ?? 'all', 'a credential for every provider');
}

export function decideAccess(question: AccessQuestion): AccessDecision {
  const { principal, level, request, passwordChange = false } = question;
  if (request.unsafe && request.hasSessionCookie && !request.sameOrigin) {
    return refuse('cross-origin', 'Forbidden: a request carrying the session cookie must come from this app (its Origin header named another site, or none)');
  }
  if (allows(null, level)) return { allow: true }; // `public`: nobody needs to be signed in
  if (!principal) return refuse('signed-out', 'Unauthorized: sign in, or send Authorization: Bearer <token>');
  if (principal.mustChangePassword && !passwordChange) return refuse('initial-password', 'Forbidden: change your initial password first (at /account/password)');
  if (!allows(principal.role, level)) return refuse('role', `Forbidden: only ${whoMay(level)} may do this; you are signed in as ${withArticle(principal.role)}`);
  const outOfScope = question.providers === undefined ? null : beyondScope(principal.providers, question.providers, '"all"');
  if (outOfScope) return refuse('scope', outOfScope);
  const overMaker = question.grants === undefined ? null : beyondMaker(principal, question.grants);
  if (overMaker) return refuse('ceiling', overMaker);
  return { allow: true };
}
