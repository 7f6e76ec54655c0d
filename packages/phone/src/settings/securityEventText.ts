import type { SecurityEventType } from '@latch/protocol';
import type { IconName } from '../ui/Icon';

const REASONS: Record<string, string> = {
  self: 'logged out on the computer',
  phone: 'logged out from this phone',
  inactive: 'not used for too long',
  reregistered: 'number registered again',
  admin: 'by the server administrator',
  replayed: 'a linking code was reused',
  expired: 'linked too long ago (session lifetime reached)',
  number_mismatch: 'the number picked did not match the computer’s',
};

/** The headline and icon for a security event. */
export function securityEventTitle(type: SecurityEventType): { title: string; icon: IconName } {
  switch (type) {
    case 'registered':
      return { title: 'Phone number registered', icon: 'phone' };
    case 'reregistered':
      return { title: 'Number registered on a new phone', icon: 'phone' };
    case 'device_linked':
      return { title: 'Device linked', icon: 'laptop' };
    case 'device_logged_out':
      return { title: 'Device logged out', icon: 'logout' };
    case 'device_wiped':
      return { title: 'Browser data wiped', icon: 'shield' };
    case 'link_refused':
      return { title: 'Link request refused', icon: 'shield' };
    case 'pin_set':
      return { title: 'Two-step PIN turned on', icon: 'lock' };
    case 'pin_changed':
      return { title: 'Two-step PIN changed', icon: 'lock' };
    case 'pin_disabled':
      return { title: 'Two-step PIN turned off', icon: 'lock' };
    case 'pin_failed':
      return { title: 'Wrong PIN entered', icon: 'alert' };
    case 'pin_locked':
      return { title: 'PIN locked after too many tries', icon: 'alert' };
    default: {
      const missing: never = type;
      throw new Error(`Unhandled security event ${String(missing)}`);
    }
  }
}

/** Why it happened, when the server says. */
export function securityReasonText(reason: string | null): string | null {
  if (!reason) return null;
  return REASONS[reason] ?? reason;
}
