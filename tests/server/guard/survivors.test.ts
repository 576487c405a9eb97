/**
 * What mutation testing found unchecked in the guard's pure parts: a model id with a control
 * character is refused; the changes of a publication come removed, changed, added, each by id; a
 * model's context and modalities read the same whatever order the source lists them in.
 */
import { describe, expect, it } from 'vitest';
import { modelChanges } from '~/server/catalog/history/changes';
import type { Model } from '~/server/catalog/schema';
import { modelIdSchema } from '~/server/guard/overrides-schema';

const model = (id: string, o: Partial<Model> = {}): Model => ({ id, name: id, contextLength: 1000, pricing: { inputPerMTok: 1, outputPerMTok: 2 }, modalities: ['text'], ...o });

describe('a model id', () => {
  it('with a control character or DEL is refused in words; a plain one passes', () => {
    for (const id of ['a\u0000b', 'tab\there', 'del\u007f']) {
      const parsed = modelIdSchema.safeParse(id);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe('model id contains a control character');
    }
    expect(modelIdSchema.safeParse('meta-llama/llama-3.1-8b:free').success).toBe(true);
  });
});

describe('modelChanges', () => {
  it('lists removed, then changed, then added, each group by id', () => {
    const published = [model('b'), model('z'), model('c'), model('y')];
    const candidate = [model('y', { name: 'Y2' }), model('c', { name: 'C2' }), model('x'), model('a')];
    expect(modelChanges(published, candidate).map((c) => `${c.kind} ${c.id}`)).toEqual(['removed b', 'removed z', 'changed c', 'changed y', 'added a', 'added x']);
  });

  it('reads an unknown context as such, and modalities in any order as the same', () => {
    const [change] = modelChanges([model('m', { contextLength: 8000, modalities: ['text', 'image'] })], [model('m', { contextLength: null, modalities: ['image', 'text'] })]);
    expect(change?.fields).toEqual([{ field: 'context length', before: '8,000', after: 'unknown' }]);
  });
});
