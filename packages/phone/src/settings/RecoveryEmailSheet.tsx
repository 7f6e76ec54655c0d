import { Email } from '@latch/protocol';
import { useState } from 'react';
import { useSession } from '../session/SessionContext';
import { errorCode, errorMessage } from '../ui/errorMessage';
import { PIN_PATTERN } from '../ui/PinDialog';
import { PinField } from '../ui/PinField';
import { Sheet } from '../ui/Sheet';
import { TextField } from '../ui/TextField';

/** Add, change or remove the recovery email (needs the PIN). An empty address removes it. */
export function RecoveryEmailSheet({ onClose }: { onClose: () => void }) {
  const session = useSession();
  const [pin, setPin] = useState('');
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<{ pin?: string; email?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const parsed = email.trim() === '' ? null : Email.safeParse(email);
    const problems = {
      pin: PIN_PATTERN.test(pin) ? undefined : 'Enter your 6-digit PIN.',
      email: parsed && !parsed.success ? 'Enter a valid email address.' : undefined,
    };
    setErrors(problems);
    if (problems.pin || problems.email) return;
    setBusy(true);
    try {
      const recoveryEmail = parsed?.success ? parsed.data : null;
      session.setAccount(await session.request('pin.setRecoveryEmail', { pin, recoveryEmail }));
      onClose();
    } catch (err) {
      const code = errorCode(err);
      setErrors(
        code === 'pin_invalid' || code === 'pin_locked'
          ? { pin: errorMessage(err) }
          : { form: errorMessage(err) },
      );
      setBusy(false);
    }
  };

  return (
    <Sheet title="Recovery email" onClose={onClose}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void submit();
        }}
      >
        <p className="muted">
          If you forget your PIN, a reset link is sent here. Leave it empty to remove it.
        </p>
        <TextField
          label="Recovery email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
          focusOnMount
        />
        <PinField label="PIN" value={pin} onChange={setPin} error={errors.pin} />
        {errors.form && (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        )}
        <button type="submit" className="btn btn--primary btn--block" disabled={busy}>
          {email.trim() ? 'Save email' : 'Remove email'}
        </button>
      </form>
    </Sheet>
  );
}
