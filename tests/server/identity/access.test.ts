/**
 * The one access decision, walked over every combination of its facts (who, the level, the method,
 * the session cookie, the origin, the password-change door), and every door's answer to it: tRPC
 * (its real middleware), REST (`admit`, the part of `route` after authentication) and pages. The
 * expectations are written here from the rules, not read from the code they check.
 */
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import type { AuditInput } from '~/server/audit/schema';
import { PAGE_REQUEST, decideAccess, type RefusalReason } from '~/server/identity/access';
import { actorOf, type Level, type Principal } from '~/server/identity/schema';
import { accountPageAccess, isDetour, pageAccess } from '~/server/http/page-access';
import { admit } from '~/server/http/route';
import { adminProcedure, createCallerFactory, publicProcedure, router, viewerProcedure, type Context } from '~/server/trpc/init';
import { adminAccount, viewerAccount } from '../../support/principals';

const PRINCIPALS: Record<string, Principal | null> = {
  nobody: null,
  viewer: viewerAccount,
  admin: adminAccount,
  'viewer on initial password': { ...viewerAccount, mustChangePassword: true },
  'admin on initial password': { ...adminAccount, mustChangePassword: true },
};
const LEVELS: Level[] = ['public', 'viewer', 'admin'];
const BOOLS = [false, true];

interface Case {
  who: string;
  level: Level;
  unsafe: boolean;
  hasSessionCookie: boolean;
  sameOrigin: boolean;
  passwordChange: boolean;
}
const CASES: Case[] = Object.keys(PRINCIPALS).flatMap((who) =>
  LEVELS.flatMap((level) =>
    BOOLS.flatMap((unsafe) =>
      BOOLS.flatMap((hasSessionCookie) => BOOLS.flatMap((sameOrigin) => BOOLS.map((passwordChange) => ({ who, level, unsafe, hasSessionCookie, sameOrigin, passwordChange })))),
    ),
  ),
);
const principalOf = (c: Pick<Case, 'who'>) => PRINCIPALS[c.who] ?? null;
const label = (c: Case) => `${c.who} → ${c.level}${c.unsafe ? ', unsafe' : ''}${c.hasSessionCookie ? ', cookie' : ''}${c.sameOrigin ? ', same origin' : ''}${c.passwordChange ? ', password door' : ''}`;

/** The rules, in their order: origin (at every level), signed in, initial password, role. */
function expected(c: Case): RefusalReason | null {
  const p = principalOf(c);
  if (c.unsafe && c.hasSessionCookie && !c.sameOrigin) return 'cross-origin';
  if (c.level === 'public') return null;
  if (!p) return 'signed-out';
  if (p.mustChangePassword && !c.passwordChange) return 'initial-password';
  if (c.level === 'admin' && p.role !== 'admin') return 'role';
  return null;
}

/** One wording per reason, the same at every door. */
const MESSAGES: Record<RefusalReason, RegExp> = {
  'cross-origin': /^Forbidden: a request carrying the session cookie must come from this app/,
  'signed-out': /^Unauthorized: sign in, or send Authorization: Bearer <token>$/,
  'initial-password': /^Forbidden: change your initial password first \(at \/account\/password\)$/,
  role: /^Forbidden: only an admin may do this; you are signed in as a viewer$/,
};
const TRPC_CODES: Record<RefusalReason, string> = { 'cross-origin': 'FORBIDDEN', 'signed-out': 'UNAUTHORIZED', 'initial-password': 'FORBIDDEN', role: 'FORBIDDEN' };
const STATUSES: Record<RefusalReason, number> = { 'cross-origin': 403, 'signed-out': 401, 'initial-password': 403, role: 403 };

const decide = (c: Case) => decideAccess({ principal: principalOf(c), level: c.level, request: c, passwordChange: c.passwordChange });
const messageOf = (reason: RefusalReason) => {
  const c = CASES.find((x) => expected(x) === reason);
  const d = c && decide(c);
  return d && !d.allow ? d.message : '';
};

/** An audit trail that keeps what it is given (the trail itself is tested against Redis in tests/server/audit). */
function sink() {
  const entries: AuditInput[] = [];
  return { entries, record: async (entry: AuditInput) => void entries.push(entry) };
}
const from = { address: '192.0.2.1', limitAddress: '192.0.2.1', userAgent: 'table' };

/** The one `call.refused` entry a refusal writes, whichever door: only its target and answer differ. */
function refusalEntry(c: Case, reason: RefusalReason, where: { address: string; userAgent: string }, target: string, answer: object) {
  const principal = principalOf(c);
  const actor = principal ? actorOf(principal) : null;
  return { action: 'call.refused', outcome: 'refused', actor, actorName: principal?.name, address: where.address, userAgent: where.userAgent, target, details: { ...answer, reason: messageOf(reason), level: c.level } };
}

describe('the access decision', () => {
  it(`answers each of the ${CASES.length} combinations by the rules, with one message per reason`, () => {
    const answer = (c: Case) => {
      const d = decide(c);
      return { case: label(c), reason: d.allow ? null : d.reason, message: d.allow ? null : d.message };
    };
    const want = (c: Case) => {
      const reason = expected(c);
      return { case: label(c), reason, message: reason ? expect.stringMatching(MESSAGES[reason]) : null };
    };
    expect(CASES.map(answer)).toEqual(CASES.map(want));
    expect(new Set(CASES.map(expected))).toEqual(new Set([null, 'cross-origin', 'signed-out', 'initial-password', 'role']));
  });
});

describe('the tRPC door', () => {
  const procedures = { public: publicProcedure, viewer: viewerProcedure, admin: adminProcedure } as const;
  const testRouter = router(
    Object.fromEntries(LEVELS.flatMap((level) => [[`${level}Query`, procedures[level].query(() => 'ok')], [`${level}Mutation`, procedures[level].mutation(() => 'ok')]])),
  );
  const createCaller = createCallerFactory(testRouter);
  // tRPC has no password-change procedure: the password door is REST's.
  const cases = CASES.filter((c) => !c.passwordChange);

  it.each([true, false])('maps every refusal to its code and words, audited once (request known: %s)', async (withRequest) => {
    const run = async (c: Case) => {
      const audit = sink();
      const principal = principalOf(c);
      const ctx = { services: { audit } as unknown as Context['services'], actor: principal, ...(withRequest ? { request: { ...from, hasSessionCookie: c.hasSessionCookie, sameOrigin: c.sameOrigin } } : {}) };
      const name = `${c.level}${c.unsafe ? 'Mutation' : 'Query'}`;
      const caller = createCaller(ctx) as unknown as Record<string, () => Promise<unknown>>;
      const error = await caller[name]?.().then(() => null, (e: unknown) => e);
      const got = error instanceof TRPCError ? { code: error.code, message: error.message } : error;
      return { case: label(c), got, audit: audit.entries };
    };
    const want = (c: Case) => {
      // In-process callers carry no cookie: the origin rule has nothing to guard.
      const reason = expected(withRequest ? c : { ...c, hasSessionCookie: false });
      if (!reason) return { case: label(c), got: null, audit: [] };
      const where = withRequest ? from : { address: 'in-process', userAgent: '' };
      const entry = refusalEntry(c, reason, where, `trpc ${c.level}${c.unsafe ? 'Mutation' : 'Query'}`, { code: TRPC_CODES[reason] });
      return { case: label(c), got: { code: TRPC_CODES[reason], message: messageOf(reason) }, audit: [entry] };
    };
    const answers = [];
    for (const c of cases) answers.push(await run(c));
    expect(answers).toEqual(cases.map(want));
  });
});

describe('the REST door', () => {
  it('maps every refusal to its status and words (401 asks for a Bearer token), audited once', async () => {
    const run = async (c: Case) => {
      const audit = sink();
      const req = new Request('http://localhost:3000/api/x', { method: c.unsafe ? 'POST' : 'GET' });
      const info = { ...from, hasSessionCookie: c.hasSessionCookie, sameOrigin: c.sameOrigin };
      const res = await admit(c.level, principalOf(c), req, info, audit, { allowInitialPassword: c.passwordChange });
      const got = res && { status: res.status, body: (await res.json()) as unknown, wwwAuthenticate: res.headers.get('www-authenticate') };
      return { case: label(c), got, audit: audit.entries };
    };
    const want = (c: Case) => {
      const reason = expected(c);
      if (!reason) return { case: label(c), got: null, audit: [] };
      const status = STATUSES[reason];
      const entry = refusalEntry(c, reason, from, `${c.unsafe ? 'POST' : 'GET'} /api/x`, { status });
      return { case: label(c), got: { status, body: { error: messageOf(reason) }, wwwAuthenticate: status === 401 ? 'Bearer' : null }, audit: [entry] };
    };
    const answers = [];
    for (const c of CASES) answers.push(await run(c));
    expect(answers).toEqual(CASES.map(want));
  });
});

describe('the page door', () => {
  // A page is a GET with the facts of PAGE_REQUEST; the password page is the password door.
  const pageCases = CASES.filter(
    (c) => c.level !== 'public' && c.unsafe === PAGE_REQUEST.unsafe && c.hasSessionCookie === PAGE_REQUEST.hasSessionCookie && c.sameOrigin === PAGE_REQUEST.sameOrigin,
  );
  const DETOURS: Record<RefusalReason, string | null> = {
    'signed-out': '/login?next=%2Fsome%2Fpage%3Fx%3D1',
    'initial-password': '/account/password?next=%2Fsome%2Fpage%3Fx%3D1',
    role: '/',
    'cross-origin': null, // never reached: pages carry no unsafe method
  };

  it('sends each refusal to its page and shows the page to everyone else', () => {
    const run = (c: Case) => {
      const principal = principalOf(c);
      const decision = c.passwordChange ? accountPageAccess(principal) : pageAccess(principal, '/some/page?x=1', c.level === 'admin' ? 'admin' : 'viewer');
      return { case: label(c), redirect: isDetour(decision) ? decision.redirect : null };
    };
    const want = (c: Case) => {
      const reason = expected(c.passwordChange ? { ...c, level: 'viewer' } : c);
      const redirect = !reason ? null : c.passwordChange ? '/login?next=%2Faccount%2Fpassword' : DETOURS[reason];
      return { case: label(c), redirect };
    };
    expect(pageCases.map(run)).toEqual(pageCases.map(want));
  });
});
