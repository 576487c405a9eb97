/** The held candidate's codec: written by TypeScript, read back by TypeScript and by its Lua (what an approval publishes). */
import { afterAll, describe, expect, it } from 'vitest';
import { decodeHeld, encodeHeld, HELD_FIELDS, type HeldCandidate } from '~/server/catalog/held';
import { closeAll, harness } from '../../support/redis';

afterAll(closeAll);

const candidate: HeldCandidate = {
  id: 'c1',
  gen: '7',
  heldAt: 1_800_000_000_000,
  candidate: { provider: 'groq', displayName: 'Groq', cachedAt: 1_800_000_000_001, source: 'https://example.invalid/v1/models', models: [{ id: 'm', name: 'M', contextLength: 8192, pricing: { inputPerMTok: 2500, outputPerMTok: 1 }, modalities: ['text'] }] },
  pricing: '{"m":{"inputPerMTok":2500,"outputPerMTok":1}}',
  breaches: ['m input price 2.50 → 2,500.00 $/MTok, ×1,000 (limit ×10)'],
  diff: { added: [], removed: [], changed: ['m'] },
  job: 'job-1',
  changes: '[["price","m","[]","c1","approval","job-1",""]]',
};

describe('the held hash', () => {
  it('round-trips through Redis, and nothing held decodes as null', async () => {
    const h = harness();
    const key = h.keys.catalog.providerHeld('groq');
    await h.catalogRedis.hset(key, encodeHeld(candidate));
    expect(decodeHeld(await h.catalogRedis.hmget(key, ...HELD_FIELDS))).toEqual(candidate);
    expect(decodeHeld(await h.catalogRedis.hmget(h.keys.catalog.providerHeld('xai'), ...HELD_FIELDS))).toBeNull();
  });

  it("is what an approval publishes: the Lua reads the candidate's fields and pricing as TypeScript wrote them", async () => {
    const h = harness({ env: { CATALOG_GUARD: 'on' } });
    await h.catalogRedis.hset(h.keys.catalog.providerHeld('groq'), encodeHeld({ ...candidate, gen: '0' }));
    expect(await h.cache.approveHeld('groq', 'c1')).toBe('ok');
    const read = await h.cache.getProvider('groq');
    expect(read.catalog).toEqual(candidate.candidate);
    expect(await h.catalogRedis.get(h.keys.catalog.providerPricing('groq'))).toBe(candidate.pricing);
    expect(await h.catalogRedis.exists(h.keys.catalog.providerHeld('groq'))).toBe(0);
  });
});
