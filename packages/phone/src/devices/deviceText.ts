import type { DeviceView } from '@latch/protocol';
import { formatClockWithDay, formatDate, formatRelative } from '../ui/time';

/** "Active now" or "Last active 5 minutes ago". */
export function activityText(device: DeviceView, now: number): string {
  return device.online ? 'Active now' : `Last active ${formatRelative(device.lastActiveAt, now)}`;
}

/** The line under a logged-out device: whether its browser has wiped itself yet. */
export function loggedOutText(device: DeviceView, now: number): string {
  if (device.status === 'logout_pending') return 'Logging out…';
  if (device.wipedAt !== null)
    return `Logged out · browser data wiped at ${formatClockWithDay(device.wipedAt, now)}`;
  return 'Logged out · will be wiped when it next opens';
}

export function linkedText(device: DeviceView): string {
  return `Linked ${formatDate(device.createdAt)}`;
}
