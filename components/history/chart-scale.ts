import { plural } from '~/components/common/format';

export interface ChartScale {
  /** What a full-height bar stands for: never 0, so a chart of zeros still divides. */
  top: number;
  /** The real highest value in words, shown on the axis; null when there is nothing to chart. */
  axis: string | null;
  /** One sentence for the caption and the SVG's description. */
  summary: string;
}

/**
 * The scale of a bar chart and the words for it. Drawing needs a non-zero top, but the words state
 * the real highest value: a chart of jobs that deleted nothing says `none` ("no keys deleted"),
 * not "highest 1 key".
 */
export function chartScale(values: readonly number[], format: (value: number) => string, none?: string): ChartScale {
  if (values.length === 0) return { top: 1, axis: null, summary: 'No finished jobs listed.' };
  const highest = Math.max(...values);
  const jobs = plural(values.length, 'job');
  if (highest <= 0 && none) return { top: 1, axis: none, summary: `${jobs}; ${none}.` };
  const average = Math.round(values.reduce((n, v) => n + v, 0) / values.length);
  return { top: Math.max(1, highest), axis: format(highest), summary: `${jobs}; highest ${format(highest)}, average ${format(average)}.` };
}

export interface TimeTick {
  /** Where the tick stands, 0–100 % of the plot's width (the middle of its bar). */
  percent: number;
  label: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (d: Date, seconds = false) => `${pad(d.getHours())}:${pad(d.getMinutes())}${seconds ? `:${pad(d.getSeconds())}` : ''}`;
const day = (d: Date) => `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/**
 * The time axis of a bar chart of `times` (oldest first, one bar each): the first, middle and last
 * bars' times, as "19:42" when they fall on one day, else "12-06 19:42", with the seconds when two
 * ticks would read the same ("19:42:05"), in the viewer's zone.
 */
export function timeTicks(times: readonly number[]): TimeTick[] {
  if (times.length === 0) return [];
  const dates = times.map((t) => new Date(t));
  const first = day(dates[0] ?? new Date(0));
  const oneDay = dates.every((d) => day(d) === first);
  const picks = [...new Set([0, Math.floor((times.length - 1) / 2), times.length - 1])];
  const label = (d: Date, seconds: boolean) => (oneDay ? clock(d, seconds) : `${day(d)} ${clock(d, seconds)}`);
  const labels = (seconds: boolean) => picks.map((i) => label(dates[i] ?? new Date(0), seconds));
  const short = labels(false);
  const text = new Set(short).size < short.length ? labels(true) : short;
  return picks.map((i, n) => ({ percent: ((i + 0.5) / times.length) * 100, label: text[n] ?? '' }));
}
