import { type ReactNode, type RefObject, useEffect, useRef } from 'react';
import './Modal.css';

interface ModalProps {
  /** `alertdialog` for confirmations that interrupt (the logout question). */
  role?: 'dialog' | 'alertdialog';
  titleId: string;
  descriptionId?: string;
  /** Esc, Cancel, or (for plain dialogs) a click on the backdrop. */
  onClose: () => void;
  /** What gets focus when the dialog opens. */
  initialFocus: RefObject<HTMLElement | null>;
  children: ReactNode;
}

/** A native modal `<dialog>`: top layer, focus kept inside, Esc handled, page behind inert. */
export function Modal({
  role = 'dialog',
  titleId,
  descriptionId,
  onClose,
  initialFocus,
  children,
}: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    initialFocus.current?.focus();
    return () => dialog.close();
  }, [initialFocus]);
  return (
    <dialog
      ref={ref}
      className="modal"
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onMouseDown={(event) => {
        // A press on the backdrop targets the <dialog> itself; inside, it targets the content.
        if (role === 'dialog' && event.target === event.currentTarget) onClose();
      }}
    >
      <div className="modal-content">{children}</div>
    </dialog>
  );
}
