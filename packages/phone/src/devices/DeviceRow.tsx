import type { DeviceView } from '@latch/protocol';
import { Icon } from '../ui/Icon';
import { activityText, deviceMetaText, loggedOutText } from './deviceText';

/** An active linked device; tapping it opens its details. */
export function ActiveDeviceRow({
  device,
  now,
  onOpen,
}: {
  device: DeviceView;
  now: number;
  onOpen: () => void;
}) {
  return (
    <li>
      <button type="button" className="device-row" onClick={onOpen}>
        <span className="device-row__icon" aria-hidden="true">
          <Icon name="laptop" />
        </span>
        <span className="device-row__main">
          <span className="device-row__name">{device.name}</span>
          <span
            className={
              device.online ? 'device-row__activity device-row__activity--online' : 'device-row__activity'
            }
          >
            {activityText(device, now)}
          </span>
          <span className="device-row__meta">{deviceMetaText(device, now)}</span>
        </span>
        <Icon name="chevron" className="device-row__chevron" />
      </button>
    </li>
  );
}

/** A device that was logged out, and whether its browser data is gone yet. */
export function LoggedOutDeviceRow({ device, now }: { device: DeviceView; now: number }) {
  return (
    <li className="device-row device-row--static">
      <span className="device-row__icon device-row__icon--off" aria-hidden="true">
        <Icon name="laptop" />
      </span>
      <span className="device-row__main">
        <span className="device-row__name">{device.name}</span>
        <span className="device-row__activity">{loggedOutText(device, now)}</span>
        <span className="device-row__meta">{deviceMetaText(device, now)}</span>
      </span>
    </li>
  );
}
