import { useAsyncAction } from '@latch/react';
import { useState } from 'react';
import { errorCode, errorMessage } from '../ui/errorMessage';
import { PIN_PATTERN } from '../ui/PinDialog';
import { TextField } from '../ui/TextField';
import { ForgotPinSheet } from './ForgotPinSheet';
import { CODE_ERRORS } from './registrationErrors';
import { type Verified, verifyPhone } from './verifyPhone';

export interface PinStepProps {
  phoneNumber: string;
  code: string;
  initialError: string | null;
  onVerified: (verified: Verified) => void;
  /** The code itself was refused (expired, used): back to the code step with this message. */
  onCodeRejected: (error: string) => void;
}

/** Step 2b: the account has two-step verification, so registering a new phone needs its PIN. */
export function PinStep({ phoneNumber, code, initialError, onVerified, onCodeRejected }: PinStepProps) {
  const [pin, setPin] = useState('');
  const [forgot, setForgot] = useState(false);
  const verifying = useAsyncAction(
    async (valid: string) => {
      try {
        onVerified(await verifyPhone(phoneNumber, code, { pin: valid }));
      } catch (err) {
        const id = errorCode(err);
        if (id !== 'code_invalid' && id !== 'code_expired') throw err;
        // The SMS code, not the PIN, was refused: back to the code step with its words.
        onCodeRejected(errorMessage(err, CODE_ERRORS));
      }
    },
    (err) => errorMessage(err),
  );
  const busy = verifying.busy;
  // Until the first attempt, the error the step was opened with (from the code step).
  const error = verifying.state.status === 'idle' ? initialError : verifying.error;

  const submit = () => {
    if (PIN_PATTERN.test(pin)) void verifying.run(pin);
    else verifying.fail('The PIN has 6 digits.');
  };

  return (
    <form
      className="onboarding__form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) submit();
      }}
    >
      <h1 className="onboarding__title">Two-step verification</h1>
      <p className="onboarding__lead">
        This account is protected by a PIN. Enter it to use {phoneNumber} here.
      </p>
      <TextField
        label="PIN"
        secret
        variant="code"
        inputMode="numeric"
        autoComplete="off"
        maxLength={6}
        value={pin}
        onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 6))}
        error={error}
        focusOnMount
      />
      <button type="button" className="link-button forgot" onClick={() => setForgot(true)}>
        Forgot PIN?
      </button>
      {forgot && (
        <ForgotPinSheet
          phoneNumber={phoneNumber}
          code={code}
          onVerified={onVerified}
          onCodeRejected={onCodeRejected}
          onClose={() => setForgot(false)}
        />
      )}
      <button type="submit" className="btn btn--primary btn--block onboarding__action" disabled={busy}>
        {busy ? 'Checking…' : 'Verify'}
      </button>
    </form>
  );
}
