import {
  browserOnline,
  CONNECTION_STATUS_TEXT,
  connectionStatus,
  subscribeBrowserOnline,
} from '@latch/client';
import { useSyncExternalStore } from 'react';
import { useSnapshot } from '../session/SessionContext';

/**
 * "Connecting…" or "Offline" at the top of every signed-in screen (NET-2), so nobody wonders why
 * nothing arrives. The live region is always in the page, so its text changes are announced.
 */
export function ConnectionBar() {
  const { connection } = useSnapshot();
  const online = useSyncExternalStore(subscribeBrowserOnline, browserOnline);
  const status = connectionStatus(connection, online);
  return (
    <div className={`connection-bar connection-bar--${status}`} role="status">
      {CONNECTION_STATUS_TEXT[status]}
    </div>
  );
}
