/**
 * The catalog's webhooks through the real outbox, to a loopback receiver that verifies them as a
 * receiver would (Standard Webhooks): a held candidate sends `catalog.held` with its broken rules
 * and changes; its approval sends `catalog.changed` with the changes, the job and who approved; a
 * refresh that changes nothing sends nothing; a failing receiver gets the same message again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startModelSource, type ModelSource, type SourceModel } from '~/scripts/lib/model-source';
import { createRegistry } from '~/server/catalog/sources/registry';
import { openAiCompatibleSource } from '~/server/catalog/sources/sources';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin } from '../../support/principals';
import { closeAll, harness } from '../../support/redis';
import { until } from '../../support/until';
import { startReceiver, WEBHOOK_SECRET, type Receiver } from '../../support/webhook-receiver';

let source: ModelSource;
let receiver: Receiver;
/** The first answer to each webhook-id fails: every message must be retried once to arrive. */
const seen = new Set<string>();
beforeAll(async () => {
  source = await startModelSource();
  receiver = await startReceiver((_, req) => {
    const id = String(req.headers['webhook-id']);
    if (seen.has(id)) return 204;
    seen.add(id);
    return 503;
  });
});
afterAll(async () => {
  await Promise.all([source.close(), receiver.close()]);
  await closeAll();
});

const token = { kind: 'token' as const, label: 't' };
const models = (factor = 1): SourceModel[] =>
  Array.from({ length: 10 }, (_, i) => ({ id: `model-${i}`, context_length: 128_000, pricing: { prompt: String(0.0000025 * factor), completion: String(0.00001 * factor) } }));

interface Delivered {
  type: string;
  data: Record<string, unknown> & { provider: string; changes: { id: string; kind: string; fields: { field: string; before: string; after: string }[] }[] };
}

/** The bodies that were accepted (2xx), each verified as a receiver verifies it: signature and timestamp. */
function accepted(): Delivered[] {
  const verifier = new Webhook(WEBHOOK_SECRET);
  const firsts = new Set<string>();
  return receiver.received.flatMap((q) => {
    const id = String(q.headers['webhook-id']);
    const payload = verifier.verify(q.body, q.headers as Record<string, string>) as Delivered;
    if (!firsts.has(id)) {
      firsts.add(id); // the one answered 503
      return [];
    }
    return [payload];
  });
}

describe('catalog.held and catalog.changed', () => {
  it('arrive signed with the diff, retried like a job’s: held, then changed on approval; nothing for an unchanged refresh', async () => {
    const registry = createRegistry([openAiCompatibleSource({ provider: 'wh', url: source.url('wh') })]);
    const h = harness({ registry, env: { CATALOG_GUARD: 'on', WEBHOOK_URLS: receiver.url, WEBHOOK_SECRET, WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_TICK_MS: '20' } });
    const admin = createCaller({ services: h, actor: bootstrapAdmin });
    h.webhooks.start();
    source.set('wh', { models: models() });
    await h.cache.seed(['wh']);

    // Unchanged: published, nothing to tell.
    const { jobId: quiet } = await h.invalidation.start({ providers: ['wh'], mode: 'soft', refresh: true, cascade: false }, token);
    await h.runner.drain();

    source.set('wh', { models: models(1000) });
    const { jobId } = await h.invalidation.start({ providers: ['wh'], mode: 'soft', refresh: true, cascade: false }, token);
    await h.runner.drain();
    const held = await until(() => {
      const got = accepted().filter((p) => p.type === 'catalog.held');
      expect(got).toHaveLength(1);
      return got[0] as Delivered;
    });
    expect(held.data).toMatchObject({ provider: 'wh', job: jobId, breaches: expect.arrayContaining(['model-0 input price 2.50 → 2,500.00 $/MTok, ×1,000 (limit ×10)']) });
    expect(held.data.changes).toHaveLength(10);
    expect(held.data.changes.find((c) => c.id === 'model-0')).toEqual({
      id: 'model-0',
      kind: 'changed',
      fields: [
        { field: 'input price', before: '2.50 $/MTok', after: '2,500.00 $/MTok' },
        { field: 'output price', before: '10.00 $/MTok', after: '10,000.00 $/MTok' },
      ],
    });

    const [candidate] = await admin.catalog.held({ provider: 'wh' });
    await admin.catalog.approve({ provider: 'wh', id: candidate?.id ?? '' });
    const changed = await until(() => {
      const got = accepted().filter((p) => p.type === 'catalog.changed' && p.data.via === 'approval');
      expect(got).toHaveLength(1);
      return got[0] as Delivered;
    });
    expect(changed.data).toMatchObject({ provider: 'wh', via: 'approval', approvedBy: bootstrapAdmin.name, job: jobId, publication: candidate?.id });
    expect(changed.data.changes.map((c) => c.id).sort()).toEqual(models().map((m) => m.id).sort());

    // A refresh that publishes a change (×2: inside the rules) tells it too.
    source.set('wh', { models: models(2000) });
    const { jobId: later } = await h.invalidation.start({ providers: ['wh'], mode: 'soft', refresh: true, cascade: false }, token);
    await h.runner.drain();
    const refreshed = await until(() => {
      const got = accepted().filter((p) => p.type === 'catalog.changed' && p.data.via === 'refresh');
      expect(got).toHaveLength(1);
      return got[0] as Delivered;
    });
    expect(refreshed.data).toMatchObject({ provider: 'wh', job: later, approvedBy: null });
    expect(refreshed.data.changes).toHaveLength(10);

    // Every message was refused once and sent again with the same id (the outbox's retry), and no other was sent.
    expect(receiver.received.filter((q) => q.headers['webhook-id'] === `msg_catalog-changed-${candidate?.id}`)).toHaveLength(2);
    const catalogTypes = accepted().filter((p) => p.type.startsWith('catalog.'));
    expect(catalogTypes.map((p) => p.type).sort()).toEqual(['catalog.changed', 'catalog.changed', 'catalog.held']);
    expect(catalogTypes.some((p) => p.data.job === quiet)).toBe(false);
    await h.shutdown(0);
  });
});
