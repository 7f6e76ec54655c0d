import { useState } from 'react';
import { useSession } from '../session/SessionContext';
import { errorCode, errorMessage } from '../ui/errorMessage';
import { PIN_PATTERN } from '../ui/PinDialog';
import { PinField } from '../ui/PinField';
import { Sheet } from '../ui/Sheet';
import { LogoutOthersOffer } from './LogoutOthersOffer';
import { newPinProblem } from './pinRules';

/** Change the PIN: the current one, then the new one twice; then offer to log out the computers. */
export function ChangePinSheet({ onClose }: { onClose: () => void }) {
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<{ current?: string; pin?: string; repeat?: string; form?: string }>(
    {},
  );
  const [busy, setBusy] = useState(false);
  const [changed, setChanged] = useState(false);

  const submit = async () => {
    const problems = {
      current: PIN_PATTERN.test(current) ? undefined : 'Enter your current 6-digit PIN.',
      pin: newPinProblem(pin) ?? undefined,
      repeat: repeat === pin ? undefined : 'The new PINs do not match.',
    };
    setErrors(problems);
    if (problems.current || problems.pin || problems.repeat) return;
    setBusy(true);
    try {
      session.setAccount(await session.request('pin.set', { pin, currentPin: current }));
      setChanged(true);
    } catch (err) {
      const code = errorCode(err);
      setErrors(
        code === 'pin_invalid' || code === 'pin_locked'
          ? { current: errorMessage(err) }
          : { form: errorMessage(err) },
      );
      setBusy(false);
    }
  };

  if (changed) return <LogoutOthersOffer title="PIN changed" pin={pin} onDone={onClose} />;
  return (
    <Sheet title="Change PIN" onClose={onClose}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void submit();
        }}
      >
        <PinField
          label="Current PIN"
          value={current}
          onChange={setCurrent}
          error={errors.current}
          focusOnMount
        />
        <PinField label="New PIN" value={pin} onChange={setPin} error={errors.pin} />
        <PinField label="Confirm new PIN" value={repeat} onChange={setRepeat} error={errors.repeat} />
        {errors.form && (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        )}
        <button type="submit" className="btn btn--primary btn--block" disabled={busy}>
          Change PIN
        </button>
      </form>
    </Sheet>
  );
}
