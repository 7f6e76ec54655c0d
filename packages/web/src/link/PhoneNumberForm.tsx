import { normalizePhoneInput, PhoneNumber } from '@latch/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { PhoneNumberField } from '../ui/PhoneNumberField';
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
            <PhoneNumberField
              inputRef={inputRef}
              value={value}
              error={error}
              className="text-input phone-input"
              onChange={(v) => {
                setValue(v);
                setLocalError(null);
              }}
            />
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
