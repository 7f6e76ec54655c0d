import type { SocketState } from './socket';

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
 * Combines the socket's state with the browser's network flag. The first connect of a page load
 * counts as online: the app shows its own splash or cached chats, and a bar that flashes for the
 * few hundred milliseconds of every handshake would only be noise.
 */
export function connectionStatus(state: SocketState, browserOnline: boolean): ConnectionStatus {
  switch (state.kind) {
    case 'ready':
    case 'logged_out':
    case 'closed':
      return 'online';
    case 'connecting':
      if (!browserOnline) return 'offline';
      return state.attempt > 0 ? 'connecting' : 'online';
    case 'reconnecting':
      return browserOnline ? 'connecting' : 'offline';
    default: {
      const missing: never = state;
      throw new Error(`Unhandled socket state: ${JSON.stringify(missing)}`);
    }
  }
}

/** True when others' presence ("online", "last seen") can be trusted: only on a working socket. */
export function presenceKnown(state: SocketState): boolean {
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
