import type { SecurityEventView } from '@latch/protocol';
import { useState } from 'react';
import { useServerEvent, useSession } from '../session/SessionContext';
import { errorMessage } from '../ui/errorMessage';
import { Icon } from '../ui/Icon';
import { usePinGuard } from '../ui/usePinGuard';

type Alert = { event: SecurityEventView; busy: boolean; error: string | null; done: boolean };

/**
 * "New device linked: Chrome on Linux" whenever a computer is linked, with a one-tap "Log out"
 * in case it was not you.
 */
export function NewDeviceBanner() {
  const session = useSession();
  const pin = usePinGuard();
  const [alert, setAlert] = useState<Alert | null>(null);

  useServerEvent('security.event', ({ event }) => {
    if (event.type === 'device_linked') setAlert({ event, busy: false, error: null, done: false });
  });

  if (!alert) return null;
  const { event } = alert;
  const deviceId = event.deviceId;
  const logout = async () => {
    if (!deviceId) return;
    setAlert({ ...alert, busy: true, error: null });
    try {
      const done = await pin.guard((p) => session.request('devices.logout', { deviceId, pin: p }));
      setAlert((a) => a && { ...a, busy: false, done: done !== null });
    } catch (err) {
      setAlert((a) => a && { ...a, busy: false, error: errorMessage(err) });
    }
  };

  return (
    <div className={alert.done ? 'banner banner--done' : 'banner banner--alert'} role="status">
      <Icon name={alert.done ? 'check' : 'laptop'} />
      <div className="banner__text">
        <p className="banner__title">
          {alert.done
            ? `Logged out: ${event.deviceName ?? 'device'}`
            : `New device linked: ${event.deviceName ?? 'a computer'}`}
        </p>
        {!alert.done && <p className="banner__hint">Not you? Log it out now.</p>}
        {alert.error && <p className="banner__error">{alert.error}</p>}
      </div>
      {!alert.done && deviceId && (
        <button
          type="button"
          className="btn btn--danger btn--small"
          disabled={alert.busy}
          onClick={() => void logout()}
        >
          Log out
        </button>
      )}
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setAlert(null)}>
        <Icon name="close" />
      </button>
      {pin.dialog}
    </div>
  );
}
