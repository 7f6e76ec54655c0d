import type { DeviceView } from '@latch/protocol';
import { type ReactNode, useState } from 'react';
import { useSnapshot } from '../session/SessionContext';
import { SettingsRow } from '../settings/SettingsRow';
import { Icon } from '../ui/Icon';
import { SubScreen } from '../ui/SubScreen';
import { useNow } from '../ui/useNow';
import { DeviceDetailsSheet } from './DeviceDetailsSheet';
import { DeviceSections } from './DeviceSections';
import { IdleLogoutSheet, idleLogoutLabel } from './IdleLogoutSheet';
import { LogoutAllDialog } from './LogoutAllDialog';
import { useDevices } from './useDevices';

export interface LinkedDevicesScreenProps {
  /** Shown first (the "device linked" alerts). */
  top?: ReactNode;
  onBack: () => void;
  onLinkDevice: () => void;
  onLinkWithCode: () => void;
}

type Open = { kind: 'details'; deviceId: string } | { kind: 'logout_all' } | { kind: 'idle' } | null;

/** Settings → Linked devices: link a computer, see and log out the linked ones. */
export function LinkedDevicesScreen({ top, onBack, onLinkDevice, onLinkWithCode }: LinkedDevicesScreenProps) {
  const { account } = useSnapshot();
  const { devices, loaded, error } = useDevices();
  const now = useNow(15_000);
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);
  const companions = devices.filter((d) => d.kind === 'companion');
  const active = companions.filter((d) => d.status === 'active');
  const gone = companions.filter((d) => d.status !== 'active');
  // A device logged out meanwhile (here or elsewhere) closes its details.
  const details: DeviceView | undefined =
    open?.kind === 'details' ? active.find((d) => d.id === open.deviceId) : undefined;

  return (
    <SubScreen title="Linked devices" onBack={onBack}>
      {top}
      <LinkHero onLinkDevice={onLinkDevice} onLinkWithCode={onLinkWithCode} />
      {error && (
        <p className="form-error section-pad" role="alert">
          {error}
        </p>
      )}
      <DeviceSections
        active={active}
        gone={gone}
        loaded={loaded}
        now={now}
        onOpen={(d) => setOpen({ kind: 'details', deviceId: d.id })}
      />
      <ul className="settings-list settings-list--section">
        <SettingsRow
          icon="clock"
          label="Log out inactive computers"
          hint={account ? idleLogoutLabel(account.idleLogoutDays) : ''}
          onClick={() => setOpen({ kind: 'idle' })}
        />
      </ul>
      {active.length > 0 && (
        <button
          type="button"
          className="btn btn--danger-text btn--block logout-all"
          onClick={() => setOpen({ kind: 'logout_all' })}
        >
          <Icon name="logout" />
          Log out from all devices
        </button>
      )}
      <p className="fine-print">
        <Icon name="lock" />
        Only this phone can link a computer, and only after you approve it here.
      </p>
      {details && <DeviceDetailsSheet device={details} now={now} onClose={close} />}
      {open?.kind === 'idle' && <IdleLogoutSheet onClose={close} />}
      {open?.kind === 'logout_all' && <LogoutAllDialog onDone={close} onCancel={close} />}
    </SubScreen>
  );
}

function LinkHero({
  onLinkDevice,
  onLinkWithCode,
}: {
  onLinkDevice: () => void;
  onLinkWithCode: () => void;
}) {
  return (
    <section className="link-hero">
      <div className="link-hero__art" aria-hidden="true">
        <Icon name="laptop" />
      </div>
      <p className="link-hero__text">
        Use Latch on a computer: open <strong>{location.host}</strong> in its browser and scan the QR code.
      </p>
      <button type="button" className="btn btn--primary btn--block" onClick={onLinkDevice}>
        Link a device
      </button>
      <button type="button" className="btn btn--text btn--block" onClick={onLinkWithCode}>
        Link with phone number instead
      </button>
    </section>
  );
}
