import {
  daysBetween,
  formatClock,
  formatLongDate,
  formatShortDate,
  formatWeekday,
  startOfDay,
} from '@latch/client';

/** The computer's time wording, on the shared formatter (the browser's locale decides the clock). */
export { daysBetween, formatClock };

/** The chat list's time column: clock today, "Yesterday", a weekday this week, else a date. */
export function formatListTime(ts: number, now: number): string {
  const days = daysBetween(ts, now);
  if (days <= 0) return formatClock(ts);
  if (days === 1) return 'Yesterday';
  if (days < 7) return formatWeekday(ts);
  return formatShortDate(ts);
}

/** The separator between days in a conversation. */
export function formatDayLabel(ts: number, now: number): string {
  const days = daysBetween(ts, now);
  if (days <= 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days < 7) return formatWeekday(ts);
  return formatLongDate(ts);
}

/** True when two times fall on different calendar days. */
export function isOtherDay(a: number, b: number): boolean {
  return startOfDay(a) !== startOfDay(b);
}

/** The header of a direct chat: "last seen today at 10:42", "… yesterday at …", "… on 3 March 2025 at …". */
export function formatLastSeen(ts: number, now: number): string {
  const days = daysBetween(ts, now);
  const at = formatClock(ts);
  if (days <= 0) return `last seen today at ${at}`;
  if (days === 1) return `last seen yesterday at ${at}`;
  if (days < 7) return `last seen ${formatWeekday(ts)} at ${at}`;
  return `last seen on ${formatLongDate(ts)} at ${at}`;
}
