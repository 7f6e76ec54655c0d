import type { SecurityEventView } from '@latch/protocol';
import { useServerEvent } from '@latch/react';
import { useState } from 'react';
import './NewDeviceAlert.css';

/**
 * A new computer was linked to this account while this one is open: say so here too. Only the phone
 * can log devices out (it holds the account key), so the alert says where to do it.
 */
export function NewDeviceAlert({ ownDeviceId }: { ownDeviceId: string }) {
  const [linked, setLinked] = useState<SecurityEventView[]>([]);
  useServerEvent('security.event', ({ event }) => {
    if (event.type === 'device_linked' && event.deviceId !== ownDeviceId) setLinked((all) => [...all, event]);
  });
  const latest = linked.at(-1);
  if (!latest) return null;
  return (
    <div className="new-device-alert" role="status">
      <p>
        <strong>New device linked: {latest.deviceName ?? 'a browser'}.</strong> If this wasn't you, log it out
        on your phone: Settings → Linked devices.
      </p>
      <button type="button" className="new-device-alert-dismiss" onClick={() => setLinked([])}>
        Dismiss
      </button>
    </div>
  );
}
