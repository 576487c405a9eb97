/**
 * The audit entries of schedule changes (server/schedule/admission.ts), on real Redis: who and from
 * where (an in-process caller has no request), and the scope of the schedule, its providers capped
 * at 50 like an invalidation's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { adminAccount } from '../../support/principals';
import { closeAll, harness, syntheticRegistry } from '../../support/redis';

afterAll(closeAll);

const timing = { kind: 'interval' as const, everySeconds: 3600 };
const scheduleEntries = async (h: ReturnType<typeof harness>) => (await h.audit.list({ limit: 10 })).items.filter((e) => e.action.startsWith('schedule.'));

describe('the audit entry of a schedule change', () => {
  it('names the caller and where it came from; an in-process caller is "in-process" with no user agent', async () => {
    const h = harness({ registry: syntheticRegistry(3) });
    const from = { address: '198.51.100.40', userAgent: 'vitest-schedules' };
    const saved = await h.manageSchedules.save({ principal: adminAccount, info: from }, { providers: ['p0001'], timing, enabled: false });
    await h.manageSchedules.remove({ principal: adminAccount }, saved.id);
    const [removed, created] = await scheduleEntries(h);
    const who = { actor: { kind: 'session', username: 'ana', role: 'admin' }, actorName: adminAccount.name, outcome: 'success' };
    expect(created).toMatchObject({ ...who, action: 'schedule.save', target: saved.id, address: from.address, userAgent: from.userAgent });
    expect(created?.details).toEqual({ created: true, providers: ['p0001'], timing, enabled: false });
    expect(removed).toMatchObject({ ...who, action: 'schedule.remove', target: saved.id, address: 'in-process', userAgent: '' });
  });

  it('records "all" for a schedule of every provider, and at most 50 named providers', async () => {
    const h = harness({ registry: syntheticRegistry(60) });
    const sixty = Array.from({ length: 60 }, (_, i) => `p${String(i + 1).padStart(4, '0')}`);
    const every = await h.manageSchedules.save({ principal: adminAccount }, { providers: 'all', timing, enabled: true });
    const many = await h.manageSchedules.save({ principal: adminAccount }, { providers: sixty, timing, enabled: false });
    expect(many.providers).toEqual(sixty); // the schedule keeps them all; only its audit entry is capped
    const [second, first] = await scheduleEntries(h);
    expect(first).toMatchObject({ target: every.id, details: { created: true, providers: 'all', timing, enabled: true } });
    expect(second).toMatchObject({ target: many.id, details: { created: true, providers: sixty.slice(0, 50), enabled: false } });
  });
});
