import { requestJson } from '@latch/client';
import { normalizePhoneInput, PhoneNumber, RegisterCodeResponse } from '@latch/protocol';
import { useState } from 'react';
import { errorMessage } from '../ui/errorMessage';
import { TextField } from '../ui/TextField';
import { PHONE_ERRORS } from './registrationErrors';

export interface PhoneStepProps {
  initialNumber: string;
  onSent: (phoneNumber: string, sent: RegisterCodeResponse) => void;
}

/** Step 1: which number; sends the verification SMS. */
export function PhoneStep({ initialNumber, onSent }: PhoneStepProps) {
  const [input, setInput] = useState(initialNumber);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const parsed = PhoneNumber.safeParse(normalizePhoneInput(input));
    if (!parsed.success) {
      setError(PHONE_ERRORS.validation_failed);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const sent = await requestJson('POST', '/v1/register/code', RegisterCodeResponse, {
        phoneNumber: parsed.data,
      });
      onSent(parsed.data, sent);
    } catch (err) {
      setError(errorMessage(err, PHONE_ERRORS));
      setBusy(false);
    }
  };

  return (
    <form
      className="onboarding__form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void submit();
      }}
    >
      <h1 className="onboarding__title">Enter your phone number</h1>
      <p className="onboarding__lead">
        Latch will send an SMS with a code to verify your number. This phone becomes the key to your account.
      </p>
      <TextField
        label="Phone number"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        placeholder="+1 555 123 4567"
        hint="Include the country code."
        value={input}
        onChange={(e) => setInput(e.target.value)}
        error={error}
        focusOnMount
      />
      <button type="submit" className="btn btn--primary btn--block onboarding__action" disabled={busy}>
        {busy ? 'Sending code…' : 'Next'}
      </button>
    </form>
  );
}
