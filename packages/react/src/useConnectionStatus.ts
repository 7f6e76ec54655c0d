import {
  browserOnline,
  type ConnectionStatus,
  connectionStatus,
  presenceKnown,
  subscribeBrowserOnline,
} from '@latch/client';
import { useSyncExternalStore } from 'react';
import { useEngineSnapshot } from './engineContext';

/** Follows `navigator.onLine`. */
export function useBrowserOnline(): boolean {
  return useSyncExternalStore(subscribeBrowserOnline, browserOnline);
}

/** What a person is told about the connection (NET-2): online, connecting, or offline. */
export function useConnectionStatus(): ConnectionStatus {
  const connection = useEngineSnapshot((s) => s.connection);
  return connectionStatus(connection, useBrowserOnline());
}

/** True while others' presence ("online", "last seen") can be trusted: only on a working connection. */
export function usePresenceKnown(): boolean {
  return useEngineSnapshot((s) => presenceKnown(s.connection));
}
