import type { ConnectionState } from './engine/connectionState';

/**
 * What a person is told about the connection: nothing while it works, "Connecting…" while the
 * socket is (re)connecting, "Offline" when the browser says it has no network.
 */
export type ConnectionStatus = 'online' | 'connecting' | 'offline';

/** The status bar's text for each status (null: no bar). */
export const CONNECTION_STATUS_TEXT: Record<ConnectionStatus, string | null> = {
  online: null,
  connecting: 'Connecting…',
  offline: 'Offline. Messages you write are sent when you are back online.',
};

/**
 * Combines the socket's state with the browser's network flag. Apps show "connecting" after a short
 * delay (a normal handshake takes a few hundred milliseconds and should not flash a bar) and
 * "offline" at once.
 */
export function connectionStatus(state: ConnectionState, browserOnline: boolean): ConnectionStatus {
  switch (state.kind) {
    case 'ready':
    case 'logged_out':
    case 'closed':
      return 'online';
    case 'connecting':
    case 'reconnecting':
      return browserOnline ? 'connecting' : 'offline';
    case 'offline':
      return 'offline';
    default: {
      const missing: never = state;
      throw new Error(`Unhandled socket state: ${JSON.stringify(missing)}`);
    }
  }
}

/** True when others' presence ("online", "last seen") can be trusted: only on a working socket. */
export function presenceKnown(state: ConnectionState): boolean {
  return state.kind === 'ready';
}

/** Follows `navigator.onLine` (useSyncExternalStore-shaped). */
export function subscribeBrowserOnline(onChange: () => void): () => void {
  addEventListener('online', onChange);
  addEventListener('offline', onChange);
  return () => {
    removeEventListener('online', onChange);
    removeEventListener('offline', onChange);
  };
}

export function browserOnline(): boolean {
  return navigator.onLine;
}
