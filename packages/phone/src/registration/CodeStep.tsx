import { formatCountdown, requestJson } from '@latch/client';
import { RegisterCodeResponse, VerificationCode } from '@latch/protocol';
import { useId, useState } from 'react';
import { errorCode, errorMessage } from '../ui/errorMessage';
import { TextField } from '../ui/TextField';
import { useNow } from '../ui/useNow';
import { CODE_ERRORS } from './registrationErrors';
import { type Verified, verifyPhone } from './verifyPhone';

export interface CodeStepProps {
  phoneNumber: string;
  resendAt: number;
  initialError: string | null;
  onResent: (sent: RegisterCodeResponse) => void;
  onVerified: (verified: Verified) => void;
  onPinRequired: (code: string, error: string | null) => void;
  onChangeNumber: () => void;
}

/** Step 2: the 6-digit code from the SMS, with a resend countdown. */
export function CodeStep(props: CodeStepProps) {
  const { phoneNumber, resendAt, initialError, onResent, onVerified, onPinRequired, onChangeNumber } = props;
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(initialError);
  const [info, setInfo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const now = useNow(1000);
  const countdownId = useId();
  const resendIn = resendAt - now;

  const submit = async () => {
    if (!VerificationCode.safeParse(code).success) {
      setError(CODE_ERRORS.validation_failed);
      return;
    }
    setBusy(true);
    setError(null);
    setInfo(null);
    try {
      onVerified(await verifyPhone(phoneNumber, code));
    } catch (err) {
      const id = errorCode(err);
      if (id === 'pin_required' || id === 'pin_invalid') {
        onPinRequired(code, id === 'pin_invalid' ? errorMessage(err) : null);
        return;
      }
      setError(errorMessage(err, CODE_ERRORS));
      setBusy(false);
    }
  };

  const resend = async () => {
    setError(null);
    setInfo(null);
    try {
      const sent = await requestJson('POST', '/v1/register/code', RegisterCodeResponse, { phoneNumber });
      setCode('');
      setInfo('We sent a new code.');
      onResent(sent);
    } catch (err) {
      setError(errorMessage(err, CODE_ERRORS));
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
      <h1 className="onboarding__title">Verify {phoneNumber}</h1>
      <p className="onboarding__lead">
        Enter the 6-digit code we sent by SMS.{' '}
        <button type="button" className="link-button" onClick={onChangeNumber}>
          Wrong number?
        </button>
      </p>
      <TextField
        label="Verification code"
        variant="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]*"
        maxLength={6}
        placeholder="––– –––"
        value={code}
        onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
        error={error}
        focusOnMount
      />
      {info && (
        <p className="form-info" role="status">
          {info}
        </p>
      )}
      <div className="resend">
        <button
          type="button"
          className="link-button"
          disabled={resendIn > 0}
          onClick={() => void resend()}
          aria-describedby={resendIn > 0 ? countdownId : undefined}
        >
          Resend code
        </button>
        {resendIn > 0 && (
          <span id={countdownId} className="muted">
            available in {formatCountdown(resendIn)}
          </span>
        )}
      </div>
      <button type="submit" className="btn btn--primary btn--block onboarding__action" disabled={busy}>
        {busy ? 'Verifying…' : 'Verify'}
      </button>
    </form>
  );
}
