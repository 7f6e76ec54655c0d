import type { DeviceView } from '@latch/protocol';
import { formatter } from '@latch/react';
import { useState } from 'react';
import { useSession } from '../session/SessionContext';
import { AlertDialog } from '../ui/AlertDialog';
import { errorMessage } from '../ui/errorMessage';
import { Sheet } from '../ui/Sheet';
import { usePinGuard } from '../ui/usePinGuard';
import { activityText } from './deviceText';
import { RenameDeviceForm } from './RenameDeviceForm';

export interface DeviceDetailsSheetProps {
  device: DeviceView;
  now: number;
  onClose: () => void;
}

/** What a linked device is, and "Log out" for it (confirmed, with the PIN when two-step is on). */
export function DeviceDetailsSheet({ device, now, onClose }: DeviceDetailsSheetProps) {
  const session = useSession();
  const pin = usePinGuard();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const logout = async () => {
    setBusy(true);
    setError(null);
    try {
      const done = await pin.guard((p) => session.request('devices.logout', { deviceId: device.id, pin: p }));
      if (done) onClose();
      else setBusy(false);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Sheet title={device.name} onClose={onClose}>
      <RenameDeviceForm device={device} />
      <dl className="details">
        <Detail term="Browser" value={device.browser} />
        <Detail term="Operating system" value={device.os} />
        <Detail term="Linked" value={formatter.clockWithDay(device.createdAt, now)} />
        <Detail term="Last active" value={activityText(device, now).replace(/^Last active /, '')} />
        <Detail term="IP address" value={device.ip} />
        {!device.keepSignedIn && <Detail term="Shared computer mode" value="On" />}
        {device.idleLogoutAt !== null && (
          <Detail term="Logged out if unused by" value={formatter.clockWithDay(device.idleLogoutAt, now)} />
        )}
      </dl>
      <button type="button" className="btn btn--danger btn--block" onClick={() => setConfirming(true)}>
        Log out
      </button>
      {confirming && (
        <AlertDialog
          title={`Log out ${device.name}?`}
          confirmLabel="Log out"
          busy={busy}
          error={error}
          onConfirm={() => void logout()}
          onCancel={() => setConfirming(false)}
        >
          Latch on that computer is logged out at once and its browser data is wiped.
        </AlertDialog>
      )}
      {pin.dialog}
    </Sheet>
  );
}

function Detail({ term, value }: { term: string; value: string }) {
  return (
    <div className="details__row">
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}
