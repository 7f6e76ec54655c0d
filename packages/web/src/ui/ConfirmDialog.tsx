import { useId, useRef } from 'react';
import { Modal } from './Modal';

interface ConfirmDialogProps {
  title: string;
  text: string;
  confirmLabel: string;
  busy?: boolean;
  /** Why the last attempt failed, shown in the dialog. */
  error?: string | null;
  onCancel: () => void;
  onConfirm: () => void;
}

/** A destructive question (`alertdialog`): Cancel has focus first, so Enter or Esc change nothing. */
export function ConfirmDialog({
  title,
  text,
  confirmLabel,
  busy,
  error,
  onCancel,
  onConfirm,
}: ConfirmDialogProps) {
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
        {title}
      </h2>
      <p id={textId} className="dialog-text">
        {text}
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button ref={cancel} type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button button-danger" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
