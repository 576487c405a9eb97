import { plural } from '~/components/common/format';

/**
 * A provider's models without a price or at $0, named: spend on them passes every budget (an
 * unpriced model is recorded at $0), so they are listed outside the collapsed model table.
 */
export function UnpricedModels({ provider, ids }: { provider: string; ids: readonly string[] }) {
  if (!ids.length) return null;
  return (
    <p className="catalog-unpriced" role="note" aria-label={`Unpriced models of ${provider}`}>
      <span className="badge badge-warn">{plural(ids.length, 'model')} unpriced</span> no price or $0, so spend on {ids.length === 1 ? 'it' : 'them'} passes every budget:{' '}
      {ids.map((id, i) => (
        <span key={id}>
          {i ? ', ' : ''}
          <code>{id}</code>
        </span>
      ))}
    </p>
  );
}
