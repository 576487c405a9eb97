/**
 * Issue 22, items 6 and 7: nobody without the admin role, and no number of failed sign-ins, pushes
 * an admin's entry out of the audit trail (AUDIT_MAXLEN=1000), and the flood itself stays visible.
 * Driven through the real doors: tRPC batches over the route handler, the sign-in form, the export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, namespace, redisUrl } from '../support/redis';

const TOKEN = 'audit-flood-admin-token-0123456789abcdef';
const ns = namespace();
const origin = 'http://localhost:3000';
const asAdmin = { authorization: `Bearer ${TOKEN}` };
let r: Awaited<ReturnType<typeof load>>;

async function load() {
  return {
    audit: await import('~/app/api/admin/audit/route'),
    login: await import('~/app/api/auth/login/route'),
    trpc: await import('~/app/api/trpc/[trpc]/route'),
    services: (await import('~/server/app/services')).getServices(),
  };
}

beforeAll(async () => {
  Object.assign(process.env, {
    REDIS_URL: redisUrl(),
    ADMIN_TOKEN: TOKEN,
    CATALOG_PREFIX: ns.catalogPrefix,
    ADMIN_PREFIX: ns.adminPrefix,
    AUDIT_MAXLEN: '1000',
    TRUSTED_PROXIES: '1',
    LOGIN_FAILURES_PER_ADDRESS: '20',
  });
  r = await load();
});

afterAll(async () => {
  r.services.adminRedis.disconnect();
  r.services.catalogRedis.disconnect();
  await closeAll();
});

const json = { 'content-type': 'application/json' };

/** An admin action through the door: tokens.create with ADMIN_TOKEN; the new token's secret. */
async function createToken(name: string, role: 'admin' | 'viewer'): Promise<string> {
  const res = await r.trpc.POST(new Request(`${origin}/api/trpc/tokens.create`, { method: 'POST', headers: { ...asAdmin, ...json }, body: JSON.stringify({ name, role }) }));
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { data: { token: string } } }).result.data.token;
}

interface Line {
  action: string;
  outcome: string;
  actorName: string;
  target: string | null;
}
/** The whole trail, newest first, as the export gives it. */
async function exported(query = ''): Promise<Line[]> {
  const res = await r.audit.GET(new Request(`${origin}/api/admin/audit${query}`, { headers: asAdmin }));
  expect(res.status).toBe(200);
  return (await res.text()).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
}

describe('the audit trail under floods, at AUDIT_MAXLEN=1000', () => {
  it('a viewer’s 40 requests of 50 refused admin calls (2,000 refusals) leave the admin’s earlier token.create listed, and the flood stays visible', async () => {
    const viewer = await createToken('flooder', 'viewer');
    const batch = Array.from({ length: 50 }, () => 'tokens.create').join(',');
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [String(i), { name: `mine-${i}`, role: 'admin' }])));
    const responses = await Promise.all(
      Array.from({ length: 40 }, () =>
        r.trpc.POST(new Request(`${origin}/api/trpc/${batch}?batch=1`, { method: 'POST', headers: { authorization: `Bearer ${viewer}`, ...json }, body })),
      ),
    );
    for (const res of responses) {
      const results = (await res.json()) as { error?: { data?: { code?: string } } }[];
      expect(results.map((x) => x.error?.data?.code)).toEqual(Array.from({ length: 50 }, () => 'FORBIDDEN'));
    }

    const created = await exported('?action=token.create');
    expect(created.map((l) => [l.actorName, l.target])).toEqual([['admin (bootstrap)', 'flooder']]);
    // The attack is in the trail, not hidden by the defence: the newest refusals, by name and call.
    const refusals = await exported('?action=call.refused&actor=flooder');
    expect(refusals.length).toBeGreaterThanOrEqual(1000);
    expect(refusals.every((l) => l.target === 'trpc tokens.create' && l.outcome === 'refused')).toBe(true);
    // And audit.list (the page) shows the admin's entry among them, on the page it falls on.
    const admin = { authorization: `Bearer ${TOKEN}` };
    const page = await r.trpc.GET(new Request(`${origin}/api/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ action: 'token.create' }))}`, { headers: admin }));
    const listed = ((await page.json()) as { result: { data: { items: Line[] } } }).result.data.items;
    expect(listed.map((l) => l.target)).toEqual(['flooder']);
  });

  it('20 failed sign-ins from each of 75 addresses of one IPv6 /64 (1,500, none refused) leave the admin’s earlier entry listed, and are all visible', async () => {
    await createToken('before-the-spray', 'admin');
    const form = (address: string) =>
      new Request(`${origin}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address },
        body: new URLSearchParams({ password: 'not-the-admin-token' }).toString(),
      });
    const addresses = Array.from({ length: 75 }, (_, i) => `2001:db8:0:1::${(i + 1).toString(16)}`);
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all(addresses.map((a) => r.login.POST(form(a))));
      // Each one a wrong password, checked: the per-address limit (20) is never reached.
      for (const res of answers) expect(res.headers.get('location')).toBe('/login?error=invalid&next=%2F');
    }

    const created = await exported('?action=token.create');
    expect(created.map((l) => l.target)).toContain('before-the-spray');
    const failures = await exported('?action=auth.sign-in');
    expect(failures.filter((l) => l.outcome === 'failure').length).toBeGreaterThanOrEqual(1000);
  });
});
