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
import { accountPageAccess, isDetour, isForbidden, pageAccess } from '~/server/http/page-access';
import { admit } from '~/server/http/route';
import { adminProcedure, asking, createCallerFactory, operatorProcedure, publicProcedure, router, viewerProcedure, type Context } from '~/server/trpc/init';
import { adminAccount, operatorAccount, viewerAccount } from '../../support/principals';

const PRINCIPALS: Record<string, Principal | null> = {
  nobody: null,
  viewer: viewerAccount,
  operator: operatorAccount,
  admin: adminAccount,
  'viewer on initial password': { ...viewerAccount, mustChangePassword: true },
  'admin on initial password': { ...adminAccount, mustChangePassword: true },
};
const LEVELS: Level[] = ['public', 'viewer', 'operator', 'admin'];
/** The roles in order, as the issue states them: each may do what the one before it may, and more. */
const RANK: Record<Level, number> = { public: 0, viewer: 1, operator: 2, admin: 3 };
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
  if (RANK[p.role] < RANK[c.level]) return 'role';
  return null;
}

/** One wording per reason, the same at every door. */
const MESSAGES: Record<RefusalReason, RegExp> = {
  'cross-origin': /^Forbidden: a request carrying the session cookie must come from this app/,
  'signed-out': /^Unauthorized: sign in, or send Authorization: Bearer <token>$/,
  'initial-password': /^Forbidden: change your initial password first \(at \/account\/password\)$/,
  role: /^Forbidden: only (an admin|an operator or an admin) may do this; you are signed in as (a viewer|an operator)$/,
  // Not in this table (no case asks for providers or a grant): the scope walk below.
  scope: /^$/,
  ceiling: /^$/,
};
const TRPC_CODES: Record<RefusalReason, string> = { 'cross-origin': 'FORBIDDEN', 'signed-out': 'UNAUTHORIZED', 'initial-password': 'FORBIDDEN', role: 'FORBIDDEN', scope: 'FORBIDDEN', ceiling: 'FORBIDDEN' };
const STATUSES: Record<RefusalReason, number> = { 'cross-origin': 403, 'signed-out': 401, 'initial-password': 403, role: 403, scope: 403, ceiling: 403 };

const decide = (c: Case) => decideAccess({ principal: principalOf(c), level: c.level, request: c, passwordChange: c.passwordChange });
/** The words of a reason: fixed, except the role's, which names who may and who asks (written out here, not derived). */
const ROLE_WORDS: Record<string, string> = { viewer: 'a viewer', operator: 'an operator', admin: 'an admin' };
const WHO_MAY: Record<string, string> = { viewer: 'a viewer or an operator or an admin', operator: 'an operator or an admin', admin: 'an admin' };
const messageOf = (reason: RefusalReason, c: Case) => {
  if (reason === 'role') return `Forbidden: only ${WHO_MAY[c.level]} may do this; you are signed in as ${ROLE_WORDS[principalOf(c)?.role ?? '']}`;
  const same = CASES.find((x) => expected(x) === reason);
  const d = same && decide(same);
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
  return { action: 'call.refused', outcome: 'refused', actor, actorName: principal?.name, address: where.address, userAgent: where.userAgent, target, details: { ...answer, reason: messageOf(reason, c), level: c.level } };
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
  const procedures = { public: publicProcedure, viewer: viewerProcedure, operator: operatorProcedure, admin: adminProcedure } as const;
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
      return { case: label(c), got: { code: TRPC_CODES[reason], message: messageOf(reason, c) }, audit: [entry] };
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
      return { case: label(c), got: { status, body: { error: messageOf(reason, c) }, wwwAuthenticate: status === 401 ? 'Bearer' : null }, audit: [entry] };
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
    role: null, // no detour: the page says which role it needs (below)
    'cross-origin': null, // never reached: pages carry no unsafe method
    scope: null, // never reached: a page names no provider and makes no credential
    ceiling: null,
  };

  it('sends each refusal to its page, tells a role below the page\'s which role it needs, and shows the page to everyone else', () => {
    const run = (c: Case) => {
      const principal = principalOf(c);
      const decision = c.passwordChange ? accountPageAccess(principal) : pageAccess(principal, '/some/page?x=1', c.level === 'public' ? 'viewer' : c.level);
      return { case: label(c), redirect: isDetour(decision) ? decision.redirect : null, needed: isForbidden(decision) ? decision.forbidden.needed : null };
    };
    const want = (c: Case) => {
      const reason = expected(c.passwordChange ? { ...c, level: 'viewer' } : c);
      const redirect = !reason ? null : c.passwordChange ? '/login?next=%2Faccount%2Fpassword' : DETOURS[reason];
      return { case: label(c), redirect, needed: reason === 'role' && !c.passwordChange ? c.level : null };
    };
    expect(pageCases.map(run)).toEqual(pageCases.map(want));
  });
});

describe('the role words', () => {
  it('name every role a level lets in, and who is asking', () => {
    const words = (level: Level, principal: Principal) => {
      const d = decideAccess({ principal, level, request: PAGE_REQUEST });
      return d.allow ? null : d.message;
    };
    expect(words('operator', viewerAccount)).toBe('Forbidden: only an operator or an admin may do this; you are signed in as a viewer');
    expect(words('admin', operatorAccount)).toBe('Forbidden: only an admin may do this; you are signed in as an operator');
    expect(words('operator', operatorAccount)).toBeNull();
  });
});

/**
 * Scopes and the maker's ceiling (issue 25): what the parsed input asks, against who asks. Written
 * from the rules: a scoped caller acts only on its providers, "all" needs an unscoped caller, and a
 * credential made is never more than its maker (role at most the maker's, scope within the maker's).
 */
describe('scopes and the ceiling', () => {
  const scopedOperator: Principal = { ...operatorAccount, providers: ['groq', 'xai'] };
  const unsafe = { unsafe: true, hasSessionCookie: false, sameOrigin: true };
  const ask = (principal: Principal, asks: { providers?: 'all' | string[]; grants?: { role: 'viewer' | 'operator' | 'admin'; providers?: string[] } }) => {
    const d = decideAccess({ principal, level: 'operator', request: unsafe, ...asks });
    return d.allow ? 'allow' : `${d.reason}: ${d.message}`;
  };

  it('a scoped caller acts only inside its scope, and "all" needs an unscoped one', () => {
    expect(ask(scopedOperator, { providers: ['groq'] })).toBe('allow');
    expect(ask(scopedOperator, { providers: ['xai', 'groq'] })).toBe('allow');
    expect(ask(scopedOperator, { providers: ['groq', 'openai'] })).toBe("scope: Forbidden: provider openai is outside this credential's scope (this credential may act only on groq, xai)");
    expect(ask(scopedOperator, { providers: ['openai', 'mistral'] })).toBe("scope: Forbidden: providers openai, mistral are outside this credential's scope (this credential may act only on groq, xai)");
    expect(ask(scopedOperator, { providers: 'all' })).toBe('scope: Forbidden: "all" needs an unscoped credential; this credential may act only on groq, xai');
    expect(ask(operatorAccount, { providers: 'all' })).toBe('allow');
    expect(ask(adminAccount, { providers: ['openai'] })).toBe('allow');
  });

  it('the level is decided first: a scoped viewer is refused for its role, not its scope', () => {
    expect(ask({ ...viewerAccount, providers: ['groq'] }, { providers: ['openai'] })).toMatch(/^role: /);
  });

  it('a credential never gets more than its maker', () => {
    // A scoped operator (were it allowed to make tokens: tokens.create is an admin's) gets nothing wider.
    expect(ask(scopedOperator, { grants: { role: 'operator', providers: ['groq'] } })).toBe('allow');
    expect(ask(scopedOperator, { grants: { role: 'viewer', providers: ['groq', 'xai'] } })).toBe('allow');
    expect(ask(scopedOperator, { grants: { role: 'operator' } })).toBe('ceiling: Forbidden: a credential for every provider needs an unscoped credential; this credential may act only on groq, xai');
    expect(ask(scopedOperator, { grants: { role: 'operator', providers: ['groq', 'openai'] } })).toBe(
      "ceiling: Forbidden: provider openai is outside this credential's scope (this credential may act only on groq, xai)",
    );
    expect(ask(scopedOperator, { grants: { role: 'admin' } })).toBe('ceiling: Forbidden: a credential never gets more than its maker: an operator cannot make an admin');
    expect(ask(operatorAccount, { grants: { role: 'admin' } })).toBe('ceiling: Forbidden: a credential never gets more than its maker: an operator cannot make an admin');
    expect(ask(adminAccount, { grants: { role: 'admin' } })).toBe('allow');
    expect(ask(adminAccount, { grants: { role: 'operator', providers: ['anything'] } })).toBe('allow');
  });

  it('each door maps them to FORBIDDEN / 403 with the same words, audited', async () => {
    const audit = sink();
    const testRouter = router({
      act: operatorProcedure
        .input((v: unknown) => v as { providers: 'all' | string[] })
        .use(asking((input: { providers: 'all' | string[] }) => ({ providers: input.providers })))
        .mutation(() => 'written'),
    });
    const caller = createCallerFactory(testRouter)({ services: { audit } as unknown as Context['services'], actor: scopedOperator });
    await expect(caller.act({ providers: ['openai'] })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('provider openai is outside') });
    expect(await caller.act({ providers: ['groq'] })).toBe('written');
    const res = await admit('operator', scopedOperator, new Request('http://localhost:3000/api/x', { method: 'POST' }), { ...from, hasSessionCookie: false, sameOrigin: true }, audit, {}, { providers: 'all' });
    expect(res?.status).toBe(403);
    expect(await res?.json()).toEqual({ error: 'Forbidden: "all" needs an unscoped credential; this credential may act only on groq, xai' });
    expect(audit.entries.map((e) => [e.target, e.details?.reason])).toEqual([
      ['trpc act', "Forbidden: provider openai is outside this credential's scope (this credential may act only on groq, xai)"],
      ['POST /api/x', 'Forbidden: "all" needs an unscoped credential; this credential may act only on groq, xai'],
    ]);
  });
});
