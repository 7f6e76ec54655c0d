const DAY_MS = 24 * 60 * 60 * 1000;

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'numeric', year: '2-digit' });
const longDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' });

function startOfDay(ts: number): number {
  const d = new Date(ts);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Whole calendar days between two times (0 = same day, 1 = yesterday…). */
export function daysBetween(earlier: number, later: number): number {
  return Math.round((startOfDay(later) - startOfDay(earlier)) / DAY_MS);
}

/** "14:05" or "2:05 PM" (the locale decides): the time on a bubble. */
export function formatClock(ts: number): string {
  return clock.format(ts);
}

/** The chat list's time column: clock today, "Yesterday", a weekday this week, else a date. */
export function formatListTime(ts: number, now: number): string {
  const days = daysBetween(ts, now);
  if (days <= 0) return clock.format(ts);
  if (days === 1) return 'Yesterday';
  if (days < 7) return weekday.format(ts);
  return shortDate.format(ts);
}

/** The separator between days in a conversation. */
export function formatDayLabel(ts: number, now: number): string {
  const days = daysBetween(ts, now);
  if (days <= 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days < 7) return weekday.format(ts);
  return longDate.format(ts);
}

/** True when two times fall on different calendar days. */
export function isOtherDay(a: number, b: number): boolean {
  return startOfDay(a) !== startOfDay(b);
}

/** The header of a direct chat: "last seen today at 10:42", "… yesterday at …", "… on 3 March 2025 at …". */
export function formatLastSeen(ts: number, now: number): string {
  const days = daysBetween(ts, now);
  const at = clock.format(ts);
  if (days <= 0) return `last seen today at ${at}`;
  if (days === 1) return `last seen yesterday at ${at}`;
  if (days < 7) return `last seen ${weekday.format(ts)} at ${at}`;
  return `last seen on ${longDate.format(ts)} at ${at}`;
}
