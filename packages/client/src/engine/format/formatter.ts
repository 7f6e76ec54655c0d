/**
 * One formatter for times, dates and numbers, by the user's locale (Intl), for both apps. Made once
 * per locale and time zone (Intl formatters are costly to build); views call its methods.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface FormatterOptions {
  /** BCP 47 tag; undefined: the runtime's (the browser's) default. */
  locale?: string;
  /** IANA zone; undefined: the runtime's. Tests pin it. */
  timeZone?: string;
}

export interface Formatter {
  /** "14:05" or "2:05 PM", as the locale writes it: the time on a bubble. */
  clock(at: number): string;
  /** The chat list's column: the clock today, "Yesterday", a weekday this week, else a short date. */
  listTime(at: number, now: number): string;
  /** The separator between days in a conversation: "Today", "Yesterday", a weekday, or a long date. */
  dayLabel(at: number, now: number): string;
  /** "last seen today at 10:42", "… yesterday at …", "… Monday at …", "… on 3 March 2026 at …". */
  lastSeen(at: number, now: number): string;
  /** "3 Mar 2026". */
  date(at: number): string;
  /** "14:05" today, "14:05, 3 Mar" another day: when something happened or will happen. */
  clockWithDay(at: number, now: number): string;
  /** "just now", "5 minutes ago", "yesterday". */
  relative(at: number, now: number): string;
  /** "1,234" / "1.234". */
  number(n: number): string;
  /** Whole calendar days between two times in this zone (0 = same day). */
  daysBetween(earlier: number, later: number): number;
}

export function createFormatter(opts: FormatterOptions = {}): Formatter {
  const { locale, timeZone } = opts;
  const tz = timeZone ? { timeZone } : {};
  const clock = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', ...tz });
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', ...tz });
  const shortDate = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'numeric',
    year: '2-digit',
    ...tz,
  });
  const mediumDate = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    ...tz,
  });
  const dayMonth = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', ...tz });
  const longDate = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', ...tz });
  const dayKey = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...tz,
  });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const numbers = new Intl.NumberFormat(locale);

  /** The calendar day of a time in this zone, as a UTC midnight (so differences are whole days). */
  const dayNumber = (at: number) => Date.parse(`${dayKey.format(at)}T00:00:00Z`) / DAY;
  const daysBetween = (earlier: number, later: number) => Math.round(dayNumber(later) - dayNumber(earlier));

  return {
    clock: (at) => clock.format(at),
    listTime(at, now) {
      const days = daysBetween(at, now);
      if (days <= 0) return clock.format(at);
      if (days === 1) return 'Yesterday';
      if (days < 7) return weekday.format(at);
      return shortDate.format(at);
    },
    dayLabel(at, now) {
      const days = daysBetween(at, now);
      if (days <= 0) return 'Today';
      if (days === 1) return 'Yesterday';
      if (days < 7) return weekday.format(at);
      return longDate.format(at);
    },
    lastSeen(at, now) {
      const days = daysBetween(at, now);
      const time = clock.format(at);
      if (days <= 0) return `last seen today at ${time}`;
      if (days === 1) return `last seen yesterday at ${time}`;
      if (days < 7) return `last seen ${weekday.format(at)} at ${time}`;
      return `last seen on ${longDate.format(at)} at ${time}`;
    },
    date: (at) => mediumDate.format(at),
    clockWithDay: (at, now) =>
      daysBetween(at, now) === 0 ? clock.format(at) : `${clock.format(at)}, ${dayMonth.format(at)}`,
    relative(at, now) {
      const diff = now - at;
      if (diff < MINUTE) return 'just now';
      if (diff < HOUR) return relative.format(-Math.floor(diff / MINUTE), 'minute');
      if (diff < DAY) return relative.format(-Math.floor(diff / HOUR), 'hour');
      return relative.format(-daysBetween(at, now), 'day');
    },
    number: (n) => numbers.format(n),
    daysBetween,
  };
}

/** "45 seconds", "5 minutes", "2 hours": how long to wait. */
export function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

/** "0:42" for a countdown. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
