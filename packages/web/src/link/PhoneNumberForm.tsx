import { normalizePhoneInput, PhoneNumber } from '@latch/protocol';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Spinner } from '../ui/Spinner';

interface PhoneNumberFormProps {
  /** True while the server is making the code. */
  busy: boolean;
  /** The server's answer to the last number (e.g. not registered). */
  serverError: string | null;
  onSubmit: (phoneNumber: string) => void;
  onUseQr: () => void;
}

/** LNK-11: the no-camera path. Asks for the account's number; the server answers with a code. */
export function PhoneNumberForm({ busy, serverError, onSubmit, onUseQr }: PhoneNumberFormProps) {
  const inputId = useId();
  const errorId = useId();
  const [value, setValue] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  // Opening the form is a request to type a number: put the caret there.
  useEffect(() => inputRef.current?.focus(), []);
  const [localError, setLocalError] = useState<string | null>(null);
  const error = localError ?? (busy ? null : serverError);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = PhoneNumber.safeParse(normalizePhoneInput(value));
    if (!parsed.success) {
      setLocalError(parsed.error.issues[0]?.message ?? 'Enter a phone number');
      return;
    }
    setLocalError(null);
    onSubmit(parsed.data);
  };

  return (
    <>
      <div className="link-body link-body-single">
        <div className="link-instructions">
          <h1 className="link-title">Enter phone number</h1>
          <p className="link-lead">
            Enter the number of the phone where you use Latch. You'll get a code to enter on that phone.
          </p>
          <form className="phone-form" noValidate onSubmit={submit}>
            <label className="field-label" htmlFor={inputId}>
              Phone number
            </label>
            <input
              id={inputId}
              className="text-input phone-input"
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              placeholder="+1 555 123 4567"
              value={value}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              ref={inputRef}
              onChange={(e) => {
                setValue(e.currentTarget.value);
                setLocalError(null);
              }}
            />
            {error && (
              <p id={errorId} className="field-error" role="alert">
                {error}
              </p>
            )}
            <div className="phone-form-actions">
              <button type="submit" className="button" disabled={busy} aria-busy={busy || undefined}>
                Next
              </button>
              {busy && <Spinner />}
            </div>
          </form>
        </div>
      </div>
      <div className="link-card-footer">
        <button type="button" className="link-button" onClick={onUseQr}>
          Link with QR code
        </button>
      </div>
    </>
  );
}
