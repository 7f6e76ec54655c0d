import { useAsyncAction } from '@latch/react';
import { useSession } from '../session/SessionContext';
import { errorMessage } from '../ui/errorMessage';
import { Icon } from '../ui/Icon';
import { usePinGuard } from '../ui/usePinGuard';
import type { LinkAlert, LinkAlerts } from './useLinkAlerts';

/**
 * The link alerts, in the page's flow (never over its content): a calm "Linked: Chrome on Linux"
 * after the person's own approval; "New device linked" with a one-tap Log out when the link was
 * approved somewhere else.
 */
export function NewDeviceBanners({ alerts }: { alerts: LinkAlerts }) {
  if (alerts.alerts.length === 0) return null;
  return (
    <div className="banners">
      {alerts.alerts.map((a) => (
        <NewDeviceBanner key={a.eventId} alert={a} alerts={alerts} />
      ))}
    </div>
  );
}

function NewDeviceBanner({ alert, alerts }: { alert: LinkAlert; alerts: LinkAlerts }) {
  const session = useSession();
  const pin = usePinGuard();
  const loggingOut = useAsyncAction(
    async () => {
      const done = await pin.guard((p) =>
        session.request('devices.logout', { deviceId: alert.deviceId, pin: p }),
      );
      if (done !== null) alerts.markLoggedOut(alert.eventId);
    },
    (err) => errorMessage(err),
  );
  const { busy, error } = loggingOut;
  const logout = loggingOut.run;

  const alarm = alert.kind === 'alarm';
  return (
    <section
      className={alarm ? 'banner banner--alert' : 'banner banner--done'}
      aria-label={alarm ? 'New device linked' : 'Device linked'}
    >
      <Icon name={alarm ? 'laptop' : 'check'} />
      <div className="banner__text" role={alarm ? 'alert' : 'status'}>
        <p className="banner__title">{bannerTitle(alert)}</p>
        {alarm && <p className="banner__hint">Not you? Log it out now.</p>}
        {error && <p className="banner__error">{error}</p>}
      </div>
      {alarm && (
        <button
          type="button"
          className="btn btn--danger btn--small"
          disabled={busy}
          onClick={() => void logout()}
        >
          Log out
        </button>
      )}
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss"
        onClick={() => alerts.dismiss(alert.eventId)}
      >
        <Icon name="close" />
      </button>
      {pin.dialog}
    </section>
  );
}

function bannerTitle(alert: LinkAlert): string {
  switch (alert.kind) {
    case 'confirmation':
      return `Linked: ${alert.deviceName}`;
    case 'alarm':
      return `New device linked: ${alert.deviceName}`;
    case 'logged_out':
      return `Logged out: ${alert.deviceName}`;
    default: {
      const missing: never = alert.kind;
      throw new Error(`Unhandled link alert ${String(missing)}`);
    }
  }
}
