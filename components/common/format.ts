/** Small, locale-stable formatters: the same text on the server render and in the browser. */

/** "1 job", "0 jobs", "2 keys": every count shown next to a noun goes through here, so none reads "1 jobs". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "45 s", "12 min", "1 h 5 min", "2 d 3 h". */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** "just now", "3 min ago", "2 h ago". */
export function formatAgo(at: number, now: number): string {
  const ms = now - at;
  if (ms < 10_000) return 'just now';
  return `${formatSpan(ms)} ago`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "2025-11-25 11:42:07" in the viewer's time zone. */
export function formatDateTime(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatClock(at)}`;
}

/** "11:42:07". */
export function formatClock(at: number, millis = false): string {
  const d = new Date(at);
  const base = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return millis ? `${base}.${pad(d.getMilliseconds(), 3)}` : base;
}

export function formatMs(ms: number): string {
  return `${ms} ms`;
}

/** "512 B", "3.4 KB", "1.2 MB" (powers of 1024, one decimal below 10). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

const PRICE = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });

/**
 * A price per million tokens, evenly: always cents ("$0.80" beside "$0.25", "$15.00"), more digits
 * only when they carry a value ("$0.075", "$0.0375"); "—" when there is none.
 */
export function formatPrice(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '—';
  return PRICE.format(usd);
}

/** "UTC", "CET", "GMT+2": the short name of the viewer's time zone at `at`. */
export function timeZoneName(at: number = Date.now(), timeZone?: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short', timeZone }).formatToParts(at).find((p) => p.type === 'timeZoneName');
  return part?.value ?? 'local time';
}

/** "2026-12-06 19:42:07 UTC": the exact time, in the viewer's zone, with the zone named. */
export function formatExact(at: number): string {
  return `${formatDateTime(at)} ${timeZoneName(at)}`;
}
