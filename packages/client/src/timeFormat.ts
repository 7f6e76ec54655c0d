/**
 * One way to write times in both apps: the browser's own locale decides (12- or 24-hour clock, day
 * and month order), through Intl. Both apps build their wording ("Yesterday", "last seen …") on these.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const cache = new Map<string, Intl.DateTimeFormat>();

/** A cached formatter; `locale` undefined means the browser's locale. */
function formatter(options: Intl.DateTimeFormatOptions, locale?: string): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

/** "14:05" or "2:05 PM", as the locale writes a time of day. */
export function formatClock(at: number, locale?: string): string {
  return formatter({ hour: 'numeric', minute: '2-digit' }, locale).format(at);
}

/** "3 Mar" / "Mar 3". */
export function formatDayMonth(at: number, locale?: string): string {
  return formatter({ day: 'numeric', month: 'short' }, locale).format(at);
}

/** "3 Mar 2026" / "Mar 3, 2026". */
export function formatDate(at: number, locale?: string): string {
  return formatter({ day: 'numeric', month: 'short', year: 'numeric' }, locale).format(at);
}

/** "3 March 2026" / "March 3, 2026". */
export function formatLongDate(at: number, locale?: string): string {
  return formatter({ day: 'numeric', month: 'long', year: 'numeric' }, locale).format(at);
}

/** "03/03/26" / "3/3/26": short enough for a list column. */
export function formatShortDate(at: number, locale?: string): string {
  return formatter({ day: 'numeric', month: 'numeric', year: '2-digit' }, locale).format(at);
}

/** "Tuesday". */
export function formatWeekday(at: number, locale?: string): string {
  return formatter({ weekday: 'long' }, locale).format(at);
}

export function startOfDay(at: number): number {
  const d = new Date(at);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Whole calendar days between two times (0 = same day, 1 = yesterday…). */
export function daysBetween(earlier: number, later: number): number {
  return Math.round((startOfDay(later) - startOfDay(earlier)) / DAY_MS);
}

/** "14:05" today, "14:05, 3 Mar" another day (with the locale's clock and date). */
export function formatClockWithDay(at: number, now = Date.now(), locale?: string): string {
  const clock = formatClock(at, locale);
  return daysBetween(at, now) === 0 ? clock : `${clock}, ${formatDayMonth(at, locale)}`;
}
