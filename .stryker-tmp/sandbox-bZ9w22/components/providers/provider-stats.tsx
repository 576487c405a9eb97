// @ts-nocheck
import type { ProviderRowData } from './use-providers';

/** Four numbers that say how warm the cache is, at a glance. */
export function ProviderStats({ providers }: { providers: ProviderRowData[] }) {
  const cached = providers.filter((p) => p.cached).length;
  const models = providers.reduce((n, p) => n + (p.modelCount ?? 0), 0);
  const keys = providers.reduce((n, p) => n + p.keys, 0);
  const keysTotal = providers.reduce((n, p) => n + p.keysTotal, 0);
  const stats = [
    ['Providers', String(providers.length)],
    ['Cached', `${cached} of ${providers.length}`],
    ['Models cached', models.toLocaleString('en-US')],
    ['Provider keys', `${keys} of ${keysTotal}`],
  ] as const;
  return (
    <dl className="stats">
      {stats.map(([label, value]) => (
        <div key={label} className="stat">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
