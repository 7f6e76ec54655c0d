import { useState } from 'react';
import { useSnapshot } from '../session/SessionContext';
import { Icon } from '../ui/Icon';
import { SubScreen } from '../ui/SubScreen';
import { ChangePinSheet } from './ChangePinSheet';
import { RecoveryEmailSheet } from './RecoveryEmailSheet';
import { SettingsRow } from './SettingsRow';
import { TurnOffPinSheet } from './TurnOffPinSheet';
import { TurnOnPinSheet } from './TurnOnPinSheet';

type Open = 'turn_on' | 'change' | 'email' | 'turn_off' | null;

/** Settings → Two-step verification: a PIN that guards re-registration, linking and logouts. */
export function TwoStepScreen({ onBack }: { onBack: () => void }) {
  const { account } = useSnapshot();
  const [open, setOpen] = useState<Open>(null);
  const enabled = account?.twoStepEnabled ?? false;
  const close = () => setOpen(null);

  return (
    <SubScreen title="Two-step verification" onBack={onBack}>
      <section className="link-hero">
        <div className="link-hero__art" aria-hidden="true">
          <Icon name="lock" />
        </div>
        <p className={enabled ? 'status-pill status-pill--on' : 'status-pill'}>{enabled ? 'On' : 'Off'}</p>
        <p className="link-hero__text">
          A 6-digit PIN is then needed to register your number on a new phone, to link a computer and to log
          computers out.
        </p>
        {!enabled && (
          <p className="link-hero__text">
            Without a PIN, anyone who gets your SMS code (for example by taking over your number) can register
            your number on another phone.
          </p>
        )}
        {!enabled && (
          <button type="button" className="btn btn--primary btn--block" onClick={() => setOpen('turn_on')}>
            Turn on
          </button>
        )}
      </section>
      {enabled && (
        <ul className="settings-list">
          <SettingsRow
            icon="lock"
            label="Change PIN"
            hint="Needs your current PIN"
            onClick={() => setOpen('change')}
          />
          <SettingsRow
            icon="bell"
            label="Recovery email"
            hint={account?.recoveryEmail ?? 'Not set: add one in case you forget your PIN'}
            onClick={() => setOpen('email')}
          />
          <li>
            <button
              type="button"
              className="settings-row settings-row--danger"
              onClick={() => setOpen('turn_off')}
            >
              <Icon name="close" className="settings-row__icon" />
              <span className="settings-row__label">Turn off</span>
            </button>
          </li>
        </ul>
      )}
      {open === 'turn_on' && <TurnOnPinSheet onClose={close} />}
      {open === 'change' && <ChangePinSheet onClose={close} />}
      {open === 'email' && <RecoveryEmailSheet onClose={close} />}
      {open === 'turn_off' && <TurnOffPinSheet onClose={close} />}
    </SubScreen>
  );
}
