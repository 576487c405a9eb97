import { formatMs, plural } from '~/components/common/format';
import { BarChart, type Bar } from './bar-chart';
import type { HistoryItem } from './use-history';

/** Duration and keys touched (deleted, or marked stale by a soft job: never drawn as 0) of the finished jobs listed below, oldest first. */
export function HistoryCharts({ items }: { items: HistoryItem[] }) {
  const finished = items.filter((j) => j.result).slice(0, 40).reverse();
  const bars = (pick: (j: HistoryItem) => number, note: (j: HistoryItem) => string = () => ''): Bar[] =>
    finished.map((j) => ({ at: j.createdAt, label: `${j.id}${note(j)}`, value: pick(j), failed: j.status === 'failed' }));
  const soft = (j: HistoryItem) => j.request.mode === 'soft';
  return (
    <section className="charts" aria-label="Charts of the listed jobs">
      <BarChart title="Duration of the listed jobs" bars={bars((j) => j.result?.durationMs ?? 0)} format={formatMs} />
      <BarChart
        title="Keys deleted or marked stale by the listed jobs"
        bars={bars(
          (j) => (j.result?.keysDeleted ?? 0) + (j.result?.keysMarkedStale ?? 0),
          (j) => (soft(j) ? ', soft: marked stale' : ''),
        )}
        format={(n) => plural(n, 'key')}
        none="no keys deleted or marked stale"
      />
    </section>
  );
}
