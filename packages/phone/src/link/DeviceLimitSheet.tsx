import { useState } from 'react';
import { useSession } from '../session/SessionContext';
import { errorMessage } from '../ui/errorMessage';
import { Sheet } from '../ui/Sheet';
import { usePinGuard } from '../ui/usePinGuard';
import type { LimitDevices } from './useLinkFlow';

export interface DeviceLimitSheetProps {
  devices: LimitDevices;
  onFreed: () => void;
  onCancel: () => void;
}

/** The account has as many computers as it may: log one out to make room. */
export function DeviceLimitSheet({ devices, onFreed, onCancel }: DeviceLimitSheetProps) {
  const session = useSession();
  const pin = usePinGuard();
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const logout = async (deviceId: string) => {
    setBusyId(deviceId);
    setError(null);
    try {
      const done = await pin.guard((p) => session.request('devices.logout', { deviceId, pin: p }));
      if (done) onFreed();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusyId(null);
    }
  };

  return (
    <Sheet title="Too many devices linked" onClose={onCancel}>
      <p className="muted">Log out one of these computers to link the new one.</p>
      <ul className="limit-list">
        {devices.map((d) => (
          <li key={d.id} className="limit-list__item">
            <span>{d.name}</span>
            <button
              type="button"
              className="btn btn--danger-text"
              aria-label={`Log out ${d.name}`}
              disabled={busyId !== null}
              onClick={() => void logout(d.id)}
            >
              Log out
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="btn btn--secondary btn--block" onClick={onCancel}>
        Cancel
      </button>
      {pin.dialog}
    </Sheet>
  );
}
