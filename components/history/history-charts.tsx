import { formatMs, plural } from '~/components/common/format';
import { BarChart, type Bar } from './bar-chart';
import type { HistoryItem } from './use-history';

/** Duration and keys deleted of the finished jobs listed below, oldest first. */
export function HistoryCharts({ items }: { items: HistoryItem[] }) {
  const finished = items.filter((j) => j.result).slice(0, 40).reverse();
  const bars = (pick: (j: HistoryItem) => number): Bar[] =>
    finished.map((j) => ({ at: j.createdAt, label: j.id, value: pick(j), failed: j.status === 'failed' }));
  return (
    <section className="charts" aria-label="Charts of the listed jobs">
      <BarChart title="Duration of the listed jobs" bars={bars((j) => j.result?.durationMs ?? 0)} format={formatMs} />
      <BarChart title="Keys deleted by the listed jobs" bars={bars((j) => j.result?.keysDeleted ?? 0)} format={(n) => plural(n, 'key')} none="no keys deleted" />
    </section>
  );
}
