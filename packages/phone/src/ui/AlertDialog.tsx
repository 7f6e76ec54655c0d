import type { ReactNode } from 'react';
import { Sheet } from './Sheet';

export interface AlertDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** The safe choice, focused first. */
  cancelLabel?: string;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A confirmation that interrupts: "Cancel" has the first focus, the action is named by its verb. */
export function AlertDialog({
  title,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  busy,
  error,
  onConfirm,
  onCancel,
}: AlertDialogProps) {
  return (
    <Sheet title={title} onClose={onCancel} role="alertdialog" closable={false}>
      <div className="alert-dialog__text">{children}</div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        <button type="button" className="btn btn--secondary" onClick={onCancel} data-autofocus>
          {cancelLabel}
        </button>
        <button type="button" className="btn btn--danger" onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </Sheet>
  );
}
