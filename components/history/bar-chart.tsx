import { useId } from 'react';
import { formatExact, timeZoneName } from '~/components/common/format';
import { chartScale, timeTicks } from './chart-scale';

export interface Bar {
  /** When the job was created (epoch ms): the bar's place on the time axis. */
  at: number;
  /** Names the bar beside its time (the job id). */
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

/**
 * A small inline-SVG bar chart (no library), oldest bar on the left: a value axis (highest, 0), a
 * time axis in the viewer's zone (named), each bar titled, and every value in a table under "Values".
 */
export function BarChart({ title, bars, format, none }: Props) {
  const id = useId();
  const { top, axis, summary } = chartScale(bars.map((b) => b.value), format, none);
  const ticks = timeTicks(bars.map((b) => b.at));
  const last = bars.at(-1);
  const zone = last ? timeZoneName(last.at) : null;
  const slot = W / Math.max(bars.length, 1);
  const width = Math.max(1.5, Math.min(14, slot * 0.6));
  return (
    <figure className="chart">
      <figcaption className="chart-caption">
        {title}
        <span className="muted"> · {summary}</span>
      </figcaption>
      <div className="chart-body">
        <div className="chart-values" aria-hidden="true">
          <span>{axis ?? ''}</span>
          <span>{axis !== null && axis !== none ? format(0) : ''}</span>
        </div>
        <div className="chart-plot">
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
                  <title>{`${formatExact(bar.at)} (${bar.label}): ${format(bar.value)}`}</title>
                </rect>
              );
            })}
          </svg>
          {ticks.length ? (
            <div className="chart-time" aria-hidden="true">
              {ticks.map((t, i) => (
                <span key={t.percent} style={{ left: `${t.percent}%` }}>
                  {t.label}
                  {i === ticks.length - 1 ? ` ${zone}` : ''}
                </span>
              ))}
            </div>
          ) : null}
        </div>
      </div>
      {bars.length ? (
        <details className="disclosure chart-table">
          <summary>
            Values <span className="muted">(time in {zone})</span>
          </summary>
          <div className="table-scroll">
            <table className="table table-compact" aria-label={`${title}: values`}>
              <thead>
                <tr>
                  <th scope="col">Time ({zone})</th>
                  <th scope="col">Job</th>
                  <th scope="col" className="num">
                    Value
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...bars].reverse().map((bar, i) => (
                  <tr key={`${bar.label}-${i}`}>
                    <td className="nowrap">{formatExact(bar.at)}</td>
                    <td>
                      <code>{bar.label}</code>
                    </td>
                    <td className="num">{format(bar.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
    </figure>
  );
}
