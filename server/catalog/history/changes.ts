/**
 * Pure: a candidate against the last published catalog, per model and field, before → after, in
 * words a person compares (the guard's review and the catalog's history show the same rows).
 */
import 'server-only';
import type { Model } from '~/server/catalog/schema';
import type { ChangeKind, ModelChange } from './schema';

const group = (n: number, digits: number) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** Dollars per million tokens: two decimals, or two significant digits below a cent. */
export const money = (n: number) => (n === 0 || n >= 0.01 ? group(n, 2) : n.toPrecision(2));

const price = (m: Model, side: 'input' | 'output') => (m.pricing ? `${money(side === 'input' ? m.pricing.inputPerMTok : m.pricing.outputPerMTok)} $/MTok` : 'unpriced');

const PRICE_FIELDS = new Set(['input price', 'output price']);

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

/** The history's kind of a model's change: a changed model is `price` when a price moved, else `other`. */
export function kindOf(change: ModelChange): ChangeKind {
  if (change.kind !== 'changed') return change.kind;
  return change.fields.some((f) => PRICE_FIELDS.has(f.field)) ? 'price' : 'other';
}
