import { useState } from 'react';
import { Sheet } from './Sheet';
import { TextField } from './TextField';

export interface PinDialogProps {
  title?: string;
  error: string | null;
  busy: boolean;
  onSubmit: (pin: string) => void;
  onCancel: () => void;
}

export const PIN_PATTERN = /^\d{6}$/;

/** Asks for the two-step verification PIN (6 digits). */
export function PinDialog({ title = 'Enter your PIN', error, busy, onSubmit, onCancel }: PinDialogProps) {
  const [pin, setPin] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const submit = () => {
    if (!PIN_PATTERN.test(pin)) {
      setLocalError('The PIN has 6 digits.');
      return;
    }
    setLocalError(null);
    onSubmit(pin);
  };
  return (
    <Sheet title={title} onClose={onCancel}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <p className="muted">Two-step verification is on for this account.</p>
        <TextField
          label="PIN"
          secret
          inputMode="numeric"
          autoComplete="off"
          maxLength={6}
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          error={localError ?? error}
          focusOnMount
        />
        <div className="button-row">
          <button type="button" className="btn btn--secondary" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            Continue
          </button>
        </div>
      </form>
    </Sheet>
  );
}
