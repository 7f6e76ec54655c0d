import { useAsyncAction } from '@latch/react';
import { useState } from 'react';
import { useSession } from '../session/SessionContext';
import { errorMessage } from '../ui/errorMessage';
import { PIN_PATTERN } from '../ui/PinDialog';
import { PinField } from '../ui/PinField';
import { Sheet } from '../ui/Sheet';

/** Turning two-step verification off needs the PIN (PIN-2). */
export function TurnOffPinSheet({ onClose }: { onClose: () => void }) {
  const session = useSession();
  const [pin, setPin] = useState('');
  const turningOff = useAsyncAction(
    async (valid: string) => {
      session.setAccount(await session.request('pin.disable', { pin: valid }));
      onClose();
    },
    (err) => errorMessage(err),
  );
  const { busy, error } = turningOff;

  const submit = () => {
    if (PIN_PATTERN.test(pin)) void turningOff.run(pin);
    else turningOff.fail('Enter your 6-digit PIN.');
  };

  return (
    <Sheet title="Turn off two-step verification?" onClose={onClose} role="alertdialog">
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) submit();
        }}
      >
        <p className="alert-dialog__text">
          Without a PIN, anyone who receives your SMS code can register your number and link computers.
        </p>
        <PinField label="PIN" value={pin} onChange={setPin} error={error} focusOnMount />
        <div className="button-row">
          <button type="button" className="btn btn--secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--danger" disabled={busy}>
            Turn off
          </button>
        </div>
      </form>
    </Sheet>
  );
}
