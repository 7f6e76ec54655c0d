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
  const text = CONNECTION_STATUS_TEXT[status];
  // A landmark only while it says something (an empty one would clutter the landmarks list).
  return (
    <section
      className={`connection-bar connection-bar--${status}`}
      aria-label={text ? 'Connection' : undefined}
    >
      <div role="status">{text}</div>
    </section>
  );
}
