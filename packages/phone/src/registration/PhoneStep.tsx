import { requestJson } from '@latch/client';
import { normalizePhoneInput, PhoneNumber, RegisterCodeResponse } from '@latch/protocol';
import { useAsyncAction } from '@latch/react';
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
  const sending = useAsyncAction(
    async (phoneNumber: string) => {
      const sent = await requestJson('POST', '/v1/register/code', RegisterCodeResponse, { phoneNumber });
      onSent(phoneNumber, sent);
    },
    (err) => errorMessage(err, PHONE_ERRORS),
  );
  const { busy, error } = sending;

  const submit = () => {
    const parsed = PhoneNumber.safeParse(normalizePhoneInput(input));
    if (parsed.success) void sending.run(parsed.data);
    else sending.fail(PHONE_ERRORS.validation_failed);
  };

  return (
    <form
      className="onboarding__form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) submit();
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
