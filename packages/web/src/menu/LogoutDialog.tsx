import { ConfirmDialog } from '../ui/ConfirmDialog';

interface LogoutDialogProps {
  onCancel: () => void;
  onConfirm: () => void;
}

/** Confirms "Log out": Cancel has focus first, so Enter or Esc right away change nothing. */
export function LogoutDialog({ onCancel, onConfirm }: LogoutDialogProps) {
  return (
    <ConfirmDialog
      title="Log out?"
      text="This computer will be unlinked from your account and its messages removed from this browser. To use Latch here again, you'll need to link it with your phone."
      confirmLabel="Log out"
      onCancel={onCancel}
      onConfirm={onConfirm}
    />
  );
}
