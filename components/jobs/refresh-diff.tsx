import { plural } from '~/components/common/format';
import type { ProviderRefresh } from '~/server/invalidation/refresh-schema';

/** At most this many ids per list; the count stays exact. */
const IDS = 8;

function ids(list: string[]): string {
  return list.length > IDS ? `${list.slice(0, IDS).join(', ')} and ${list.length - IDS} more` : list.join(', ');
}

function line(r: ProviderRefresh): string {
  if (r.status === 'failed') return `failed: ${r.error ?? 'unknown error'}`;
  if (r.status === 'held') return `held for review: ${(r.breaches ?? []).slice(0, 3).join('; ')}${(r.breaches?.length ?? 0) > 3 ? ` and ${(r.breaches?.length ?? 0) - 3} more` : ''}; readers keep the last published catalog (${plural(r.modelCount ?? 0, 'model')})`;
  if (r.status === 'unchanged') return `unchanged (${plural(r.modelCount ?? 0, 'model')})`;
  const parts = [];
  if (r.added.length) parts.push(`${r.added.length} added (${ids(r.added)})`);
  if (r.removed.length) parts.push(`${r.removed.length} removed (${ids(r.removed)})`);
  if (r.changed.length) parts.push(`${r.changed.length} changed (${ids(r.changed)})`);
  return `refreshed: ${parts.join(', ') || 'rewritten'}; ${plural(r.modelCount ?? 0, 'model')} now`;
}

/** Failed and held first (something to act on), then refreshed: what changed leads; unchanged providers are folded away. */
const ORDER: Record<ProviderRefresh['status'], number> = { failed: 0, held: 1, refreshed: 2, unchanged: 3 };

/**
 * What refresh-and-verify found per provider: what changed first (added, removed and changed models,
 * or why it failed and what was kept), the unchanged folded under "N unchanged".
 */
export function RefreshDiff({ refresh, label }: { refresh: ProviderRefresh[]; label: string }) {
  if (!refresh.length) return null;
  const count = (status: ProviderRefresh['status']) => refresh.filter((r) => r.status === status).length;
  const failed = count('failed');
  const held = count('held');
  const changed = refresh.filter((r) => r.status !== 'unchanged').sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const unchanged = refresh.filter((r) => r.status === 'unchanged');
  const item = (r: ProviderRefresh) => (
    <li key={r.provider} className={`refresh-${r.status}`}>
      <strong>{r.provider}</strong> {line(r)}
    </li>
  );
  return (
    <div className="refresh-diff">
      <p className={failed || held ? 'outcome-bad' : 'outcome-ok'}>
        Refresh: {count('refreshed')} refreshed, {unchanged.length} unchanged, {failed} failed{held ? `, ${held} held` : ''}
      </p>
      {changed.length ? (
        <ul aria-label={label} className="refresh-list">
          {changed.map(item)}
        </ul>
      ) : null}
      {unchanged.length ? (
        <details className="refresh-unchanged">
          <summary>{unchanged.length} unchanged</summary>
          <ul aria-label={`Unchanged: ${label}`} className="refresh-list">
            {unchanged.map(item)}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
