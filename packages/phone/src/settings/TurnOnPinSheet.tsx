import { Email } from '@latch/protocol';
import { useState } from 'react';
import { useSession } from '../session/SessionContext';
import { errorMessage } from '../ui/errorMessage';
import { PinField } from '../ui/PinField';
import { Sheet } from '../ui/Sheet';
import { TextField } from '../ui/TextField';
import { newPinProblem } from './pinRules';

/** Turning two-step verification on: choose a PIN, type it again, optionally add a recovery email. */
type Step = { kind: 'choose' } | { kind: 'repeat'; pin: string } | { kind: 'email'; pin: string };

export function TurnOnPinSheet({ onClose }: { onClose: () => void }) {
  const session = useSession();
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (pin: string, email: string) => {
    const parsed = email.trim() === '' ? null : Email.safeParse(email);
    if (parsed && !parsed.success) {
      setError('Enter a valid email address, or leave it empty.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      session.setAccount(
        await session.request('pin.set', { pin, recoveryEmail: parsed ? parsed.data : null }),
      );
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  const next = () => {
    switch (step.kind) {
      case 'choose': {
        const problem = newPinProblem(value);
        if (problem) {
          setError(problem);
          return;
        }
        setStep({ kind: 'repeat', pin: value });
        break;
      }
      case 'repeat':
        if (value !== step.pin) {
          setError('The PINs do not match. Try again.');
          return;
        }
        setStep({ kind: 'email', pin: step.pin });
        break;
      case 'email':
        void save(step.pin, value);
        return;
      default: {
        const missing: never = step;
        throw new Error(`Unhandled PIN step ${JSON.stringify(missing)}`);
      }
    }
    setValue('');
    setError(null);
  };

  return (
    <Sheet title="Two-step verification" onClose={onClose}>
      <form
        key={step.kind}
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) next();
        }}
      >
        {step.kind === 'choose' && (
          <p className="muted">
            Choose a 6-digit PIN. You will need it to register your number on a new phone, link a computer or
            log computers out.
          </p>
        )}
        {step.kind === 'repeat' && <p className="muted">Type the same PIN again.</p>}
        {step.kind === 'email' && (
          <p className="muted">
            Add an email address so you can turn the PIN off if you forget it. Optional.
          </p>
        )}
        {step.kind === 'email' ? (
          <TextField
            label="Recovery email"
            type="email"
            autoComplete="email"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            error={error}
            focusOnMount
          />
        ) : (
          <PinField
            label={step.kind === 'choose' ? 'PIN' : 'Confirm PIN'}
            value={value}
            onChange={setValue}
            error={error}
            focusOnMount
          />
        )}
        <button type="submit" className="btn btn--primary btn--block" disabled={busy}>
          {step.kind === 'email' ? (value.trim() ? 'Turn on' : 'Turn on without email') : 'Next'}
        </button>
      </form>
    </Sheet>
  );
}
