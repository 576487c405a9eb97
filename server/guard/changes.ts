/** Pure: a held candidate against the last published catalog, per model and field, before → after, in the review's words. */
import 'server-only';
import type { Model } from '~/server/catalog/schema';
import { money } from './evaluate';
import type { ModelChange } from './schema';

const price = (m: Model, side: 'input' | 'output') => (m.pricing ? `${money(side === 'input' ? m.pricing.inputPerMTok : m.pricing.outputPerMTok)} $/MTok` : 'unpriced');

/** The fields a person compares, as text. */
function fieldsOf(m: Model): [string, string][] {
  return [
    ['name', m.name],
    ['context length', m.contextLength === null ? 'unknown' : m.contextLength.toLocaleString('en-US')],
    ['input price', price(m, 'input')],
    ['output price', price(m, 'output')],
    ['modalities', [...m.modalities].sort().join(', ')],
  ];
}

export function modelChanges(published: readonly Model[], candidate: readonly Model[]): ModelChange[] {
  const before = new Map(published.map((m) => [m.id, m]));
  const after = new Map(candidate.map((m) => [m.id, m]));
  const changes: ModelChange[] = [];
  for (const m of candidate) {
    const was = before.get(m.id);
    if (!was) {
      changes.push({ id: m.id, kind: 'added', fields: fieldsOf(m).map(([field, value]) => ({ field, before: '', after: value })) });
      continue;
    }
    const old = new Map(fieldsOf(was));
    const fields = fieldsOf(m)
      .filter(([field, value]) => old.get(field) !== value)
      .map(([field, value]) => ({ field, before: old.get(field) ?? '', after: value }));
    if (fields.length) changes.push({ id: m.id, kind: 'changed', fields });
  }
  for (const m of published) {
    if (!after.has(m.id)) changes.push({ id: m.id, kind: 'removed', fields: fieldsOf(m).map(([field, value]) => ({ field, before: value, after: '' })) });
  }
  const order = { removed: 0, changed: 1, added: 2 };
  return changes.sort((a, b) => order[a.kind] - order[b.kind] || a.id.localeCompare(b.id));
}
