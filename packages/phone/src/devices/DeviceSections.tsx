import type { DeviceView } from '@latch/protocol';
import { useId } from 'react';
import { ActiveDeviceRow, LoggedOutDeviceRow } from './DeviceRow';

export interface DeviceSectionsProps {
  active: DeviceView[];
  gone: DeviceView[];
  loaded: boolean;
  now: number;
  onOpen: (device: DeviceView) => void;
}

/** "Device status" (linked computers, tap for details) and "Recently logged out". */
export function DeviceSections({ active, gone, loaded, now, onOpen }: DeviceSectionsProps) {
  const id = useId();
  return (
    <>
      <section className="list-section" aria-labelledby={`${id}-active`}>
        <h2 id={`${id}-active`} className="list-section__title">
          Device status
        </h2>
        {active.length > 0 ? (
          <>
            <p className="list-section__hint">Tap a device to see details or log out.</p>
            <ul className="device-list">
              {active.map((d) => (
                <ActiveDeviceRow key={d.id} device={d} now={now} onOpen={() => onOpen(d)} />
              ))}
            </ul>
          </>
        ) : (
          <p className="list-section__hint">{loaded ? 'No computers are linked.' : 'Loading…'}</p>
        )}
      </section>
      {gone.length > 0 && (
        <section className="list-section" aria-labelledby={`${id}-gone`}>
          <h2 id={`${id}-gone`} className="list-section__title">
            Recently logged out
          </h2>
          <ul className="device-list">
            {gone.map((d) => (
              <LoggedOutDeviceRow key={d.id} device={d} now={now} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
