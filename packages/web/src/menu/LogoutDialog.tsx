import { useId, useRef } from 'react';
import { Modal } from '../ui/Modal';

interface LogoutDialogProps {
  onCancel: () => void;
  onConfirm: () => void;
}

/** Confirms "Log out": Cancel has focus first, so Enter or Esc right away change nothing. */
export function LogoutDialog({ onCancel, onConfirm }: LogoutDialogProps) {
  const titleId = useId();
  const textId = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      role="alertdialog"
      titleId={titleId}
      descriptionId={textId}
      onClose={onCancel}
      initialFocus={cancel}
    >
      <h2 id={titleId} className="dialog-title">
        Log out?
      </h2>
      <p id={textId} className="dialog-text">
        This computer will be unlinked from your account and its messages removed from this browser. To use
        Latch here again, you'll need to link it with your phone.
      </p>
      <div className="dialog-actions">
        <button ref={cancel} type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button button-danger" onClick={onConfirm}>
          Log out
        </button>
      </div>
    </Modal>
  );
}
