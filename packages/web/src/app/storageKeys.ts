/** Everything the web app keeps in localStorage. None of it is secret; all of it is wiped on logout. */
export const STORAGE_KEYS = {
  /** The linked device's id, kept so a wipe can be reported even when the session is already gone. */
  deviceId: 'latch-web:deviceId',
  /** Set when a logout could not reach the server; the QR page finishes it. */
  pendingLogout: 'latch-web:pending-logout',
  /** The signed wipe report that goes with a pending logout. */
  pendingWiped: 'latch-web:pending-wiped',
} as const;

/** The IndexedDB database holding this app's device key. */
export const KEY_STORE_NAME = 'latch-web';

/** localStorage can throw (privacy modes, quota); none of these values is worth crashing for. */
export function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStorage(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Nothing to do: the value is a convenience.
  }
}

export function removeStorage(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // Nothing to do.
  }
}
