import { CONNECTION_STATUS_TEXT } from '@latch/client';
import { useConnectionStatus } from '@latch/react';
import './ConnectionStatusBar.css';

/**
 * "Connecting…" or "Offline" across the top of the chat screen (NET-2), so nobody wonders why
 * nothing arrives. The live region is always in the page, so its text changes are announced.
 */
export function ConnectionStatusBar() {
  const status = useConnectionStatus();
  const text = CONNECTION_STATUS_TEXT[status];
  // A landmark only while it says something (an empty one would clutter the landmarks list).
  return (
    <section
      className={`connection-status connection-status-${status}`}
      aria-label={text ? 'Connection' : undefined}
    >
      <div role="status">{text}</div>
    </section>
  );
}
