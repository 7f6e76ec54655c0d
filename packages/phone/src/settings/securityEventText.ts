import type { SecurityEventType, SecurityEventView } from '@latch/protocol';
import type { IconName } from '../ui/Icon';

/** Why a computer was logged out, as a sentence about it (the event's `reason` is a LogoutReason). */
const LOGOUT_REASONS: Record<string, string> = {
  self: 'Logged out from its own menu.',
  phone: 'You logged it out from this phone.',
  inactive: 'It was not used for too long.',
  reregistered: 'Your number was registered on a new phone.',
  admin: 'The server administrator logged it out.',
  replayed: 'Its linking code was used twice, so it was logged out to be safe.',
  expired: 'It was linked long ago, so its session ended. Link it again to keep using it.',
};

/** Why a link request was refused, when the reason is a code rather than words. */
const REFUSAL_REASONS: Record<string, string> = {
  number_mismatch: 'The number picked on this phone did not match the one the computer showed.',
};

export interface SecurityEventText {
  /** A sentence that names what happened: "Chrome on Linux was logged out". */
  title: string;
  /** Why, when the server says: "You logged it out from this phone." */
  detail: string | null;
  icon: IconName;
}

/** "3 wrong in a row" → "3 wrong in a row." (server reasons for PIN events are fragments). */
function sentence(text: string | null): string | null {
  if (!text) return null;
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** What a security event says in the phone's log, in whole sentences (UI-2). */
export function securityEventText(
  event: Pick<SecurityEventView, 'type' | 'deviceName' | 'reason'>,
): SecurityEventText {
  const device = event.deviceName ?? 'A computer';
  const type: SecurityEventType = event.type;
  switch (type) {
    case 'registered':
      return { title: 'Your number was registered on this phone', detail: null, icon: 'phone' };
    case 'reregistered':
      return { title: 'Your number was registered on a new phone', detail: null, icon: 'phone' };
    case 'device_linked':
      return { title: `${device} was linked`, detail: null, icon: 'laptop' };
    case 'device_logged_out':
      return {
        title: `${device} was logged out`,
        detail: event.reason ? (LOGOUT_REASONS[event.reason] ?? sentence(event.reason)) : null,
        icon: 'logout',
      };
    case 'device_wiped':
      return { title: `${device} deleted its Latch data`, detail: null, icon: 'shield' };
    case 'link_refused':
      return {
        title: `A request to link ${device} was refused`,
        detail: event.reason ? (REFUSAL_REASONS[event.reason] ?? sentence(event.reason)) : null,
        icon: 'shield',
      };
    case 'pin_set':
      return { title: 'Two-step PIN turned on', detail: null, icon: 'lock' };
    case 'pin_changed':
      return { title: 'Two-step PIN changed', detail: null, icon: 'lock' };
    case 'pin_disabled':
      return { title: 'Two-step PIN turned off', detail: sentence(event.reason), icon: 'lock' };
    case 'pin_failed':
      return { title: 'A wrong PIN was entered', detail: sentence(event.reason), icon: 'alert' };
    case 'pin_locked':
      return {
        title: 'The PIN was locked after too many wrong tries',
        detail: sentence(event.reason),
        icon: 'alert',
      };
    default: {
      const missing: never = type;
      throw new Error(`Unhandled security event ${String(missing)}`);
    }
  }
}
