import type { DeviceView } from '@latch/protocol';
import { formatter } from '@latch/react';

/** "Active now" or "Last active 5 minutes ago". */
export function activityText(device: DeviceView, now: number): string {
  return device.online ? 'Active now' : `Last active ${formatter.relative(device.lastActiveAt, now)}`;
}

/** The line under a logged-out device: when, and whether its browser has wiped itself yet. */
export function loggedOutText(device: DeviceView, now: number): string {
  if (device.status === 'logout_pending') return 'Logging out…';
  const when = device.loggedOutAt === null ? '' : ` at ${formatter.clockWithDay(device.loggedOutAt, now)}`;
  if (device.wipedAt !== null)
    return `Logged out${when} · browser data wiped at ${formatter.clockWithDay(device.wipedAt, now)}`;
  return `Logged out${when} · will be wiped when it next opens`;
}

/** "Chrome on Linux" when the person gave the device a name of their own, else nothing. */
export function browserText(device: DeviceView): string | null {
  const detected = `${device.browser} on ${device.os}`;
  return device.name === detected ? null : detected;
}

/**
 * The small print of a device row: what it is (when renamed), when it was linked (to the minute:
 * two "Chrome on Linux" rows differ by it) and its IP address.
 */
export function deviceMetaText(device: DeviceView, now: number): string {
  return [
    browserText(device),
    `Linked at ${formatter.clockWithDay(device.createdAt, now)}`,
    `IP ${device.ip}`,
  ]
    .filter(Boolean)
    .join(' · ');
}
