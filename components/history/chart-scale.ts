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
