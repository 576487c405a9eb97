import { useId } from 'react';
import { chartScale } from './chart-scale';

export interface Bar {
  label: string;
  value: number;
  failed?: boolean;
}

interface Props {
  title: string;
  bars: Bar[];
  format(value: number): string;
  /** What to say when every bar is 0 (e.g. "no keys deleted"); without it, "highest 0 …". */
  none?: string;
}

const W = 320;
const H = 96;
const PAD_TOP = 12;

/** A small inline-SVG bar chart (no library): oldest bar on the left, each bar titled with its value. */
export function BarChart({ title, bars, format, none }: Props) {
  const id = useId();
  const { top, axis, summary } = chartScale(bars.map((b) => b.value), format, none);
  const slot = W / Math.max(bars.length, 1);
  const width = Math.max(1.5, Math.min(14, slot * 0.6));
  return (
    <figure className="chart">
      <div className="chart-plot">
        {axis !== null ? (
          <span className="chart-axis" aria-hidden="true">
            {axis}
          </span>
        ) : null}
        {/* Stretched to the card's width: bars are rectangles, lines keep 1px strokes. */}
        <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-labelledby={`${id}-t ${id}-d`} className="chart-svg">
          <title id={`${id}-t`}>{title}</title>
          <desc id={`${id}-d`}>{summary}</desc>
          <line x1={0} x2={W} y1={PAD_TOP} y2={PAD_TOP} className="chart-grid" vectorEffect="non-scaling-stroke" />
          <line x1={0} x2={W} y1={H - 0.5} y2={H - 0.5} className="chart-base" vectorEffect="non-scaling-stroke" />
          {bars.map((bar, i) => {
            const h = Math.max(1, ((H - PAD_TOP - 1) * bar.value) / top);
            return (
              <rect
                key={`${bar.label}-${i}`}
                x={i * slot + (slot - width) / 2}
                y={H - 1 - h}
                width={width}
                height={h}
                className={bar.failed ? 'chart-bar chart-bar-failed' : 'chart-bar'}
              >
                <title>{`${bar.label}: ${format(bar.value)}`}</title>
              </rect>
            );
          })}
        </svg>
      </div>
      <figcaption className="chart-caption">
        {title}
        <span className="muted"> · {summary}</span>
      </figcaption>
    </figure>
  );
}
