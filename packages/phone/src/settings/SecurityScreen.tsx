import type { SecurityEventView } from '@latch/protocol';
import { formatter } from '@latch/react';
import { useCallback, useState } from 'react';
import { useOnReady, useServerEvent, useSession } from '../session/SessionContext';
import { errorMessage } from '../ui/errorMessage';
import { Icon } from '../ui/Icon';
import { SubScreen } from '../ui/SubScreen';
import { securityEventText } from './securityEventText';

/** Settings → Security notifications: links, logouts, wipes, PIN events; new ones appear on top live. */
export function SecurityScreen({ onBack }: { onBack: () => void }) {
  const session = useSession();
  const [events, setEvents] = useState<SecurityEventView[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    session.request('security.list', {}).then(
      (result) => {
        setEvents([...result.events].sort((a, b) => b.at - a.at));
        setLoaded(true);
        setError(null);
      },
      (err: unknown) => {
        setLoaded(true);
        setError(errorMessage(err));
      },
    );
  }, [session]);
  useOnReady(load);
  useServerEvent('security.event', ({ event }) =>
    setEvents((list) => [event, ...list.filter((e) => e.id !== event.id)]),
  );

  return (
    <SubScreen title="Security notifications" onBack={onBack}>
      <p className="list-section__hint section-pad">
        Every link, logout and wipe on your account, with the device and its IP address.
      </p>
      {error && (
        <p className="form-error section-pad" role="alert">
          {error}
        </p>
      )}
      {loaded && events.length === 0 && !error && (
        <p className="list-section__hint section-pad">Nothing yet.</p>
      )}
      <ul className="event-list" aria-label="Security notifications">
        {events.map((e) => (
          <SecurityEventRow key={e.id} event={e} />
        ))}
      </ul>
    </SubScreen>
  );
}

function SecurityEventRow({ event }: { event: SecurityEventView }) {
  const { title, detail, icon } = securityEventText(event);
  return (
    <li className="event-row">
      <span className="event-row__icon" aria-hidden="true">
        <Icon name={icon} />
      </span>
      <span className="event-row__main">
        <span className="event-row__title">{title}</span>
        {detail && <span className="event-row__reason">{detail}</span>}
        {event.ip && <span className="event-row__details">IP {event.ip}</span>}
      </span>
      <time className="event-row__time" dateTime={new Date(event.at).toISOString()}>
        {formatter.clockWithDay(event.at, Date.now())}
      </time>
    </li>
  );
}
