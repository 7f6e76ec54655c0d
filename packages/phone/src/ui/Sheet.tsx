import { type ReactNode, useEffect, useId, useRef } from 'react';
import { Icon } from './Icon';

export interface SheetProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** `bottom`: a sheet rising from the bottom; `full`: covers the screen (camera). */
  variant?: 'bottom' | 'full';
  role?: 'dialog' | 'alertdialog';
  /** Hide the built-in close button (alert dialogs have their own Cancel). */
  closable?: boolean;
}

/**
 * A modal sheet on the native `<dialog>`: focus moves in and is trapped, the page behind is inert,
 * Escape or the back gesture closes it. An element marked `data-autofocus` gets the first focus.
 */
export function Sheet({
  title,
  onClose,
  children,
  variant = 'bottom',
  role = 'dialog',
  closable = true,
}: SheetProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => dialog.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`sheet sheet--${variant}`}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="sheet__header">
        <h2 id={titleId} className="sheet__title">
          {title}
        </h2>
        {closable && (
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            <Icon name="close" />
          </button>
        )}
      </div>
      <div className="sheet__body">{children}</div>
    </dialog>
  );
}
