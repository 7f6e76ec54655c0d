import {
  daysBetween,
  formatClock,
  formatClockWithDay,
  formatDate,
  formatDayMonth,
  formatWeekday,
} from '@latch/client';

/** Time as people read it on a phone: "10:42", "Yesterday", "5 min ago"; the clock as the browser's locale writes it. */

export { formatClock, formatClockWithDay, formatDate };

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** For lists: "10:42" today, "Yesterday", a weekday this week, else "3 Mar". */
export function formatListTime(at: number, now = Date.now()): string {
  const days = daysBetween(at, now);
  if (days <= 0) return formatClock(at);
  if (days === 1) return 'Yesterday';
  if (days < 7) return formatWeekday(at);
  return formatDayMonth(at);
}

/** "just now", "5 minutes ago", "yesterday", "3 Mar". */
export function formatRelative(at: number, now = Date.now()): string {
  const diff = now - at;
  if (diff < MINUTE) return 'just now';
  if (diff < HOUR) return relative.format(-Math.floor(diff / MINUTE), 'minute');
  if (diff < DAY) return relative.format(-Math.floor(diff / HOUR), 'hour');
  if (diff < 7 * DAY) return relative.format(-Math.floor(diff / DAY), 'day');
  return `on ${formatDayMonth(at)}`;
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

/** Day separators in a conversation: "Today", "Yesterday", a weekday, or "3 Mar 2026". */
export function formatDay(at: number, now = Date.now()): string {
  const days = daysBetween(at, now);
  if (days <= 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days < 7) return formatWeekday(at);
  return formatDate(at);
}

/** "last seen today at 10:42", "last seen yesterday at 09:15", "last seen 3 Mar 2026". */
export function formatLastSeen(at: number, now = Date.now()): string {
  const day = formatDay(at, now);
  if (day === 'Today') return `last seen today at ${formatClock(at)}`;
  if (day === 'Yesterday') return `last seen yesterday at ${formatClock(at)}`;
  return `last seen ${day}`;
}
