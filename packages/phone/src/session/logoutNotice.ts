import type { LogoutReason } from '@latch/protocol';

/** Why this phone is back on the registration screen, in words a person understands. */
export function logoutNotice(reason: LogoutReason | 'unauthorized' | 'user'): string {
  switch (reason) {
    case 'reregistered':
      return 'This number was registered on another phone.';
    case 'unauthorized':
      return 'You were signed out on this phone. Verify your number to continue.';
    case 'inactive':
      return 'You were signed out because Latch was not used on this phone for a long time.';
    case 'admin':
      return 'An administrator of this Latch server signed this phone out.';
    case 'self':
    case 'user':
      return 'You logged out. Latch data was removed from this phone.';
    case 'phone':
    case 'replayed':
    case 'expired':
      return 'This phone was signed out.';
    default: {
      const missing: never = reason;
      throw new Error(`Unhandled logout reason ${String(missing)}`);
    }
  }
}
