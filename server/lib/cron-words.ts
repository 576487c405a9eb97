/**
 * A cron expression in words, for a person checking it before saving ("At 02:30 UTC, Monday to
 * Friday"). Pure and dependency-free, so the panel says it as the user types. It reads the common
 * forms (`*`, `*\/n`, `a-b`, `a-b/n`, lists, numbers, month and day names); anything else (`L`, `W`,
 * `#`, `?`) is left to cron-parser, and the words then say only that the expression is in UTC. The
 * schedule's next runs, computed by the server with cron-parser itself, are the final word.
 */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['', 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MONTH_NAMES = ['', 'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

type Part = { kind: 'any' } | { kind: 'values'; values: number[] } | { kind: 'step'; every: number; from: number; to: number | null } | { kind: 'range'; from: number; to: number };

class Unreadable extends Error {}

function number(text: string, names: string[] = []): number {
  const named = names.indexOf(text.toLowerCase());
  if (named >= 0) return named;
  if (!/^\d{1,2}$/.test(text)) throw new Unreadable(text);
  return Number(text);
}

/** One field: `*`, `*\/n`, `a-b/n`, `a-b`, `a,b,c`, `a`; a list of ranges becomes values. */
function parseField(field: string, names?: string[]): Part[] {
  return field.split(',').map((item): Part => {
    const [base = '', stepText] = item.split('/');
    const step = stepText === undefined ? null : number(stepText);
    if (base === '*') return step === null ? { kind: 'any' } : { kind: 'step', every: step, from: 0, to: null };
    const [a = '', b] = base.split('-');
    const from = number(a, names);
    if (b === undefined) return step === null ? { kind: 'values', values: [from] } : { kind: 'step', every: step, from, to: null };
    const to = number(b, names);
    return step === null ? { kind: 'range', from, to } : { kind: 'step', every: step, from, to };
  });
}

/** "a, b and c". */
export function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
const single = (parts: Part[]): number[] | null => (parts.every((p) => p.kind === 'values') ? parts.flatMap((p) => (p.kind === 'values' ? p.values : [])) : null);

/** "every 15 minutes", "minutes 0 to 10", "minute 5": one field of a time unit. */
function unitWords(parts: Part[], unit: string, show: (n: number) => string = String): string {
  return list(
    parts.map((p) => {
      if (p.kind === 'any') return `every ${unit}`;
      if (p.kind === 'values') return `${unit} ${p.values.map(show).join(', ')}`;
      if (p.kind === 'range') return `${unit}s ${show(p.from)} to ${show(p.to)}`;
      const span = p.to === null ? (p.from ? ` from ${show(p.from)}` : '') : ` from ${show(p.from)} to ${show(p.to)}`;
      return `every ${p.every} ${unit}s${span}`;
    }),
  );
}

function dayWords(dom: Part[], month: Part[], dow: Part[]): string {
  const any = (parts: Part[]) => parts.length === 1 && parts[0]?.kind === 'any';
  const out: string[] = [];
  const weekdays = single(dow);
  const day = (n: number) => DAYS[n] ?? String(n);
  if (weekdays) out.push(`on ${list(weekdays.map(day))}`);
  else if (dow.length === 1 && dow[0]?.kind === 'range') out.push(`${day(dow[0].from)} to ${day(dow[0].to)}`);
  else if (!any(dow)) out.push(unitWords(dow, 'weekday', day));
  if (!any(dom)) out.push(`on ${unitWords(dom, 'day')} of the month`);
  if (!any(month)) out.push(`in ${unitWords(month, 'month', (n) => MONTHS[n] ?? String(n)).replace(/^month /, '').replace(/^months /, '')}`);
  return out.length ? out.join(', ') : 'every day';
}

/** The expression in words, ending in "(UTC)"; null when it has a form these words do not read (the next runs still tell). */
export function cronInWords(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return null;
  const [second = '', minute = '', hour = '', dom = '', month = '', dow = ''] = fields.length === 6 ? fields : ['0', ...fields];
  try {
    const s = parseField(second);
    const m = parseField(minute);
    const h = parseField(hour);
    const days = dayWords(parseField(dom), parseField(month, MONTH_NAMES), parseField(dow, DAY_NAMES));
    const seconds = single(s);
    const minutes = single(m);
    const hours = single(h);
    const atSecond = seconds && seconds.length === 1 && seconds[0] === 0 ? '' : `, ${unitWords(s, 'second')}`;
    const everyHour = h.length === 1 && h[0]?.kind === 'any';
    const everyMinute = m.length === 1 && m[0]?.kind === 'any';
    let time: string;
    if (!seconds && everyMinute && everyHour) {
      time = `${capital(unitWords(s, 'second'))} (UTC)`;
    } else if (!minutes && everyHour) {
      time = `${capital(unitWords(m, 'minute'))}${atSecond} (UTC)`;
    } else if (minutes && hours && minutes.length * hours.length <= 6) {
      // A few times of day: "At 09:00 and 17:30".
      const times = hours.flatMap((hh) => minutes.map((mm) => `${pad(hh)}:${pad(mm)}`));
      time = `At ${list(times)} UTC${atSecond}`;
    } else {
      const minuteWords = minutes && minutes.length === 1 ? `At minute ${minutes[0]}` : capital(unitWords(m, 'minute'));
      const hourWords = hours ? `of hour ${list(hours.map(String))}` : everyHour ? 'of every hour' : `of ${unitWords(h, 'hour')}`;
      time = `${minuteWords} ${hourWords}${atSecond} (UTC)`;
    }
    return `${time}, ${days}`;
  } catch (err) {
    if (err instanceof Unreadable) return null;
    throw err;
  }
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
