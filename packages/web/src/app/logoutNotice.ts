import { LogoutReason } from '@latch/protocol';

/** Why this browser stopped being linked: a server reason, or a session that no longer exists. */
export type EndReason = LogoutReason | 'unauthorized';

/** What the fresh QR page tells the person after a logout (kept in memory: storage was wiped). */
export interface LogoutNotice {
  reason: EndReason;
}

export const LOGGED_OUT_TITLE = 'You were logged out';

/** OUT-4: the reason, in words. */
export function describeLogoutReason(reason: EndReason): string {
  switch (reason) {
    case 'self':
      return 'You logged out on this computer.';
    case 'phone':
      return 'You logged out of this computer from your phone.';
    case 'inactive':
      return 'This computer was logged out because it was inactive.';
    case 'expired':
      return 'This computer was logged out because it was linked a long time ago. Link it again to continue.';
    case 'reregistered':
      return 'This computer was logged out because your number was registered on a new phone.';
    case 'admin':
    case 'replayed':
    case 'unauthorized':
      return 'Your session ended.';
    default: {
      const missing: never = reason;
      throw new Error(`Unhandled logout reason: ${String(missing)}`);
    }
  }
}

/** Reads a reason from an untrusted source (another tab's message, a close frame). */
export function parseEndReason(value: unknown): EndReason {
  const parsed = LogoutReason.safeParse(value);
  return parsed.success ? parsed.data : 'unauthorized';
}
