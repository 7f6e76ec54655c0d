import { requestJson } from '@latch/client';
import type { AccountView } from '@latch/protocol';
import { useAsyncAction } from '@latch/react';
import { useState } from 'react';
import { z } from 'zod';
import { AlertDialog } from '../ui/AlertDialog';
import { Avatar } from '../ui/Avatar';
import { errorMessage } from '../ui/errorMessage';
import { Icon } from '../ui/Icon';
import { SettingsRow } from './SettingsRow';

export interface SettingsTabProps {
  account: AccountView;
  onLinkedDevices: () => void;
  onSecurity: () => void;
  onTwoStep: () => void;
  /** After the server ended this phone's session. */
  onLoggedOut: () => void;
}

/** Settings: who you are, Linked devices, Two-step verification, Security notifications, Log out. */
export function SettingsTab({
  account,
  onLinkedDevices,
  onSecurity,
  onTwoStep,
  onLoggedOut,
}: SettingsTabProps) {
  const [confirming, setConfirming] = useState(false);

  const loggingOut = useAsyncAction(
    async () => {
      await requestJson('POST', '/v1/logout?client=phone', z.unknown());
      onLoggedOut();
    },
    (err) => errorMessage(err),
  );
  const { busy, error } = loggingOut;
  const logout = loggingOut.run;

  return (
    <div className="settings">
      <section className="profile" aria-label="Profile">
        <Avatar name={account.name} seed={account.id} size="large" />
        <div className="profile__text">
          <p className="profile__name">{account.name}</p>
          <p className="profile__number">{account.phoneNumber}</p>
        </div>
      </section>
      <ul className="settings-list">
        <SettingsRow
          icon="laptop"
          label="Linked devices"
          hint="Link a computer, log devices out"
          onClick={onLinkedDevices}
        />
        <SettingsRow
          icon="lock"
          label="Two-step verification"
          hint={account.twoStepEnabled ? 'On' : 'Off: add a PIN'}
          onClick={onTwoStep}
        />
        <SettingsRow
          icon="shield"
          label="Security notifications"
          hint="Links, logouts and wipes"
          onClick={onSecurity}
        />
      </ul>
      <ul className="settings-list">
        <li>
          <button
            type="button"
            className="settings-row settings-row--danger"
            onClick={() => setConfirming(true)}
          >
            <Icon name="logout" className="settings-row__icon" />
            <span className="settings-row__label">Log out of this phone</span>
          </button>
        </li>
      </ul>
      {confirming && (
        <AlertDialog
          title="Log out of this phone?"
          confirmLabel="Log out"
          busy={busy}
          error={error}
          onConfirm={() => void logout()}
          onCancel={() => setConfirming(false)}
        >
          Latch data is removed from this phone. To use Latch here again, verify your number by SMS.
        </AlertDialog>
      )}
    </div>
  );
}
