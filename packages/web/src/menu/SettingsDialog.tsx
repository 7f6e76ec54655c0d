import type { AccountView } from '@latch/protocol';
import { useId, useRef } from 'react';
import { Avatar } from '../ui/Avatar';
import { LaptopIcon } from '../ui/icons';
import { Modal } from '../ui/Modal';

interface SettingsDialogProps {
  account: AccountView;
  onClose: () => void;
}

/** Who this computer belongs to, and what being linked means. */
export function SettingsDialog({ account, onClose }: SettingsDialogProps) {
  const titleId = useId();
  const close = useRef<HTMLButtonElement>(null);
  const name = account.name || account.phoneNumber;
  return (
    <Modal titleId={titleId} onClose={onClose} initialFocus={close}>
      <h2 id={titleId} className="dialog-title">
        Settings
      </h2>
      <div className="settings-account">
        <Avatar name={name} seed={account.id} size="large" />
        <div>
          <p className="settings-name">{name}</p>
          <p className="settings-number">{account.phoneNumber}</p>
        </div>
      </div>
      <div className="settings-linked">
        <LaptopIcon className="settings-linked-icon" />
        <p className="dialog-text">
          This computer is linked to your phone. Messages you send and receive here stay in sync with it. To
          unlink this computer, choose Log out in the menu, or go to Settings → Linked devices on your phone.
        </p>
      </div>
      <div className="dialog-actions">
        <button ref={close} type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
