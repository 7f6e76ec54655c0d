import {
  browserOnline,
  CONNECTION_STATUS_TEXT,
  connectionStatus,
  type SocketState,
  subscribeBrowserOnline,
} from '@latch/client';
import { useSyncExternalStore } from 'react';
import './ConnectionStatusBar.css';

/**
 * "Connecting…" or "Offline" across the top of the chat screen (NET-2), so nobody wonders why
 * nothing arrives. The live region is always in the page, so its text changes are announced.
 */
export function ConnectionStatusBar({ state }: { state: SocketState }) {
  const online = useSyncExternalStore(subscribeBrowserOnline, browserOnline);
  const status = connectionStatus(state, online);
  return (
    <div className={`connection-status connection-status-${status}`} role="status">
      {CONNECTION_STATUS_TEXT[status]}
    </div>
  );
}
