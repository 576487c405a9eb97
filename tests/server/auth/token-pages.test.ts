/**
 * Issue 22 item 5: no token can be hidden from the list. 1,005 tokens made after one do not push
 * it out: `tokens.list` pages with a cursor through every token, and says how many there are.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createApiTokenStore } from '~/server/auth/api-tokens';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin } from '../../support/principals';
import { client, closeAll, harness } from '../../support/redis';
import { until } from '../../support/until';

afterAll(closeAll);

describe('tokens.list pages', () => {
  it('the first of 1,006 tokens is reached through the pages; every token once, newest first, with the count', async () => {
    const h = harness();
    const admin = createCaller({ services: h, actor: bootstrapAdmin });
    const owner = { accountId: null, epoch: 'x' };
    let clock = 1_000_000;
    const tokens = createApiTokenStore(client(), h.keys.admin, () => clock++); // distinct creation times, so "newest first" is one order
    const backdoor = await tokens.create('backdoor', 'admin', 'admin (bootstrap)', owner);
    const made = [backdoor.id];
    for (let i = 0; i < 1005; i += 201) {
      const batch = await Promise.all(Array.from({ length: Math.min(201, 1005 - i) }, (_, j) => tokens.create(`viewer ${i + j}`, 'viewer', 'admin (bootstrap)', owner)));
      made.push(...batch.map((t) => t.id));
    }

    const first = await admin.tokens.list();
    expect(first).toMatchObject({ total: 1006, nextCursor: expect.any(String) });
    expect(first.items).toHaveLength(50);
    expect(first.items.map((t) => t.id)).not.toContain(backdoor.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof admin.tokens.list>> = await admin.tokens.list({ limit: 200, cursor });
      expect(page.total).toBe(pages < 2 ? 1006 : 1007);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
      pages += 1;
      // A token made between two pages lands before the cursor: it neither shifts nor repeats the rest.
      if (pages === 2) await tokens.create('made while paging', 'viewer', 'admin (bootstrap)', owner);
    } while (cursor);
    expect(pages).toBe(6);
    expect(seen).toEqual(made.reverse()); // each once, newest first
    expect(seen.at(-1)).toBe(backdoor.id); // the oldest comes last, and it does come
    const last = await admin.tokens.list({ limit: 200, cursor: seen.at(-2) });
    expect(last).toMatchObject({ items: [{ id: backdoor.id, name: 'backdoor', role: 'admin' }], nextCursor: null, total: 1007 });
  });

  it('a page that ends exactly at the last token says there is no next one; an index entry whose record never came is skipped', async () => {
    const h = harness();
    const admin = createCaller({ services: h, actor: bootstrapAdmin });
    const owner = { accountId: null, epoch: 'x' };
    let clock = 2_000_000;
    const tokens = createApiTokenStore(client(), h.keys.admin, () => clock++);
    const made = [await tokens.create('a', 'viewer', 'admin (bootstrap)', owner), await tokens.create('b', 'viewer', 'admin (bootstrap)', owner)];
    const exact = await admin.tokens.list({ limit: 2 });
    expect(exact.items.map((t) => t.id)).toEqual([made[1]?.id, made[0]?.id]);
    expect(exact.nextCursor).toBeNull();
    // On a cluster a token is indexed before its record is written (two slots): a create cut between them leaves an id with no record.
    await client().zadd(h.keys.admin.apiTokens, clock++, 'tok_ffffffffffffffff');
    const withOrphan = await admin.tokens.list({ limit: 10 });
    expect(withOrphan.items.map((t) => t.id)).toEqual([made[1]?.id, made[0]?.id]);
  });

  it('revoking twice keeps the first revocation time', async () => {
    const h = harness();
    const admin = createCaller({ services: h, actor: bootstrapAdmin });
    const { id } = await admin.tokens.create({ name: 'twice', role: 'viewer' });
    const first = await admin.tokens.revoke({ id });
    await until(async () => Date.now() > (first.revokedAt ?? 0));
    const again = await admin.tokens.revoke({ id });
    expect(again.revokedAt).toBe(first.revokedAt);
    expect((await admin.tokens.list()).items.find((t) => t.id === id)?.revokedAt).toBe(first.revokedAt);
  });

  it('refuses a cursor that is not a token, in words', async () => {
    const h = harness();
    const admin = createCaller({ services: h, actor: bootstrapAdmin });
    await expect(admin.tokens.list({ cursor: 'tok_0000000000000000' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'Unknown token cursor tok_0000000000000000: list from the start' });
    await expect(admin.tokens.list({ limit: 201 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
