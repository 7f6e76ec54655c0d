import { useAsyncAction } from '@latch/react';
import { useEffect, useState } from 'react';
import { useSession } from '../session/SessionContext';
import { AlertDialog } from '../ui/AlertDialog';
import { errorMessage } from '../ui/errorMessage';
import { usePinGuard } from '../ui/usePinGuard';

export interface LogoutOthersOfferProps {
  /** What just happened to the PIN: the dialog's title says so. */
  title: 'PIN changed' | 'PIN reset';
  /** The new PIN when the person just typed it, so logging out does not ask for it again. */
  pin?: string;
  onDone: () => void;
}

/**
 * ASVS 7.4.3: after the PIN changed or was reset, offer to log out every linked computer, in case
 * someone who knew the old PIN linked one. Shown only when there is a computer to log out.
 */
export function LogoutOthersOffer({ title, pin, onDone }: LogoutOthersOfferProps) {
  const session = useSession();
  const guard = usePinGuard();
  const [linked, setLinked] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    session.request('devices.list', {}).then(
      ({ devices }) => {
        if (live) setLinked(devices.filter((d) => d.kind === 'companion' && d.status === 'active').length);
      },
      () => {
        if (live) setLinked(0);
      },
    );
    return () => {
      live = false;
    };
  }, [session]);
  useEffect(() => {
    if (linked === 0) onDone();
  }, [linked, onDone]);

  const loggingOut = useAsyncAction(
    async () => {
      const done = await guard.guard((p) => session.request('devices.logoutAll', { pin: p ?? pin }));
      if (done) onDone();
    },
    (err) => errorMessage(err),
  );
  const { busy, error } = loggingOut;
  const logOutAll = loggingOut.run;

  if (!linked) return null;
  return (
    <>
      <AlertDialog
        title={title}
        confirmLabel="Log out all"
        cancelLabel="Keep them"
        busy={busy}
        error={error}
        onConfirm={() => void logOutAll()}
        onCancel={onDone}
      >
        Also log out all linked computers? Do this if someone else may know your old PIN: each computer is
        logged out and its browser data is wiped. This phone stays signed in.
      </AlertDialog>
      {guard.dialog}
    </>
  );
}
