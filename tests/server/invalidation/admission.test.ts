/**
 * The admission of an invalidation, both ways it is written: on one Redis the create script appends
 * the audit entry itself; on a cluster (another slot) it is written right after. The second way is
 * built here on one Redis with `auditInScript: false`, so both run in every project, and must record
 * the same entries: success with the job (created or joined), refused with the wait, nothing for a
 * request the service refuses before the script.
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { principalKey } from '~/server/identity/schema';
import { createAdmission } from '~/server/invalidation/admission';
import type { InvalidationRequest } from '~/server/invalidation/schema';
import { adminAccount } from '../../support/principals';
import { closeAll, harness, keysUnder, syntheticRegistry } from '../../support/redis';

afterAll(closeAll);

const from = { address: '198.51.100.30', userAgent: 'vitest-admission' };
const request = (providers: string[]): InvalidationRequest => ({ providers, cacheType: 'models', cascade: true, mode: 'delete' });

function admissionOf(auditInScript: boolean, perActorPerMinute = 2) {
  const h = harness({ registry: syntheticRegistry(60), env: { INVALIDATIONS_PER_ACTOR_PER_MINUTE: String(perActorPerMinute), INVALIDATIONS_PER_MINUTE: '100' } });
  /** Whether each call handed the create script an audit entry to append. */
  const auditHandedToScript: boolean[] = [];
  const admit = createAdmission({
    start: (req, actor, via, admission) => {
      auditHandedToScript.push(admission.audit !== undefined);
      return h.invalidation.start(req, actor, via, admission);
    },
    audit: h.audit,
    auditInScript,
    keys: h.keys.admin,
    limits: { perActorPerMinute, perMinute: 100 },
  });
  return { h, admit, auditHandedToScript };
}

describe.each([
  ['in the create script', true],
  ['right after it (as on a cluster)', false],
])('the audit entry of an invalidation, written %s', (_, auditInScript) => {
  it('records a created job, a joined one and a refusal with its wait, each with who, from where and the scope', async () => {
    const { h, admit } = admissionOf(auditInScript, 1);
    // At once, so the second joins before the job sends its deletions: a join is free, even at a limit of 1.
    const [created, joined] = await Promise.all([admit(request(['p0001']), adminAccount, 'rest', from), admit(request(['p0001']), adminAccount, 'rest', from)]);
    expect(created.coalesced).toBe(false);
    expect(joined).toEqual({ jobId: created.jobId, coalesced: true });
    await h.runner.drain();
    const refusal = await admit(request(['p0002']), adminAccount, 'trpc', from).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } });

    const { items } = await h.audit.list({ limit: 10, action: 'invalidation.start' });
    const [refused, second, first] = items;
    const who = { action: 'invalidation.start', actor: { kind: 'session', username: 'ana', role: 'admin' }, actorName: 'ana', address: from.address, userAgent: from.userAgent };
    expect(items).toHaveLength(3);
    expect(first).toMatchObject({ ...who, outcome: 'success', target: created.jobId, details: { jobId: created.jobId, coalesced: false, providers: ['p0001'], cacheType: 'models', cascade: true, mode: 'delete', via: 'rest' } });
    expect(second).toMatchObject({ ...who, outcome: 'success', target: created.jobId, details: { jobId: created.jobId, coalesced: true } });
    expect(refused).toMatchObject({ ...who, outcome: 'refused', target: null, details: { reason: 'rate limited', retryAfterSeconds: (refusal as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds, providers: ['p0002'], via: 'trpc' } });
  });

  it('names at most 50 providers in the entry, and records nothing for a request the service refuses', async () => {
    const { h, admit } = admissionOf(auditInScript);
    const sixty = Array.from({ length: 60 }, (_, i) => `p${String(i + 1).padStart(4, '0')}`);
    await admit(request(sixty), adminAccount, 'rest', from);
    await expect(admit(request(['nope']), adminAccount, 'rest', from)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'Unknown provider: nope' });
    const { items } = await h.audit.list({ limit: 10, action: 'invalidation.start' });
    expect(items).toHaveLength(1);
    expect(items[0]?.details.providers).toEqual(sixty.slice(0, 50));
  });

  it('records "all" for a request of every provider', async () => {
    const { h, admit } = admissionOf(auditInScript);
    await admit({ ...request([]), providers: 'all' }, adminAccount, 'rest', from);
    const { items } = await h.audit.list({ limit: 1, action: 'invalidation.start' });
    expect(items[0]?.details.providers).toBe('all');
  });

  it(`hands the create script the entry to append ${auditInScript ? 'itself' : 'never (the trail is in another slot)'}, and writes it once either way`, async () => {
    const { h, admit, auditHandedToScript } = admissionOf(auditInScript);
    await admit(request(['p0003']), adminAccount, 'rest', from);
    expect(auditHandedToScript).toEqual([auditInScript]);
    expect((await h.audit.list({ limit: 10, action: 'invalidation.start' })).items).toHaveLength(1);
  });
});

describe('the rate limits of an invalidation', () => {
  it('are two cells in the jobs\' slot: one per actor, named by a 32-hex hash of who (never the name), and one for everybody', async () => {
    const { h, admit } = admissionOf(true);
    await admit(request(['p0004']), adminAccount, 'rest', from);
    const actorHash = createHash('sha256').update(principalKey(adminAccount)).digest('hex').slice(0, 32);
    const cells = (await keysUnder(h.adminRedis, h.keys.admin.jobRateLimit('', '').replace(/:$/, ''))).sort();
    expect(cells).toEqual([h.keys.admin.jobRateLimit('invalidate-actor', actorHash), h.keys.admin.jobRateLimit('invalidate-all', 'global')].sort());
    expect(actorHash).toMatch(/^[0-9a-f]{32}$/);
    expect(cells.join(' ')).not.toContain(adminAccount.accountId);
  });
});
