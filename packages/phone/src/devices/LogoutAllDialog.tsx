import { useAsyncAction } from '@latch/react';
import { useSession } from '../session/SessionContext';
import { AlertDialog } from '../ui/AlertDialog';
import { errorMessage } from '../ui/errorMessage';
import { usePinGuard } from '../ui/usePinGuard';

/** "Log out from all devices?" → devices.logoutAll (with the PIN when two-step is on). */
export function LogoutAllDialog({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const session = useSession();
  const pin = usePinGuard();
  const loggingOut = useAsyncAction(
    async () => {
      const done = await pin.guard((p) => session.request('devices.logoutAll', { pin: p }));
      if (done) onDone();
    },
    (err) => errorMessage(err),
  );
  const { busy, error } = loggingOut;
  const confirm = loggingOut.run;

  return (
    <>
      <AlertDialog
        title="Log out from all devices?"
        confirmLabel="Log out"
        busy={busy}
        error={error}
        onConfirm={() => void confirm()}
        onCancel={onCancel}
      >
        Every linked computer is logged out at once and its browser data is wiped. This phone stays signed in.
      </AlertDialog>
      {pin.dialog}
    </>
  );
}
