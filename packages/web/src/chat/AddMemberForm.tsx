import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { parsePhoneInput } from './PhoneNumberList';

interface AddMemberFormProps {
  addMember: (phoneNumber: string) => Promise<unknown>;
  onDone: () => void;
  describeError: (error: unknown) => string;
}

/** An admin adds someone by number: "Phone number", Add, Cancel. */
export function AddMemberForm({ addMember, onDone, describeError }: AddMemberFormProps) {
  const inputId = useId();
  const errorId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => input.current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parsePhoneInput(value);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setBusy(true);
    try {
      await addMember(parsed.number);
      onDone();
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <form className="group-info-form" noValidate onSubmit={submit}>
      <label className="field-label" htmlFor={inputId}>
        Phone number
      </label>
      <input
        ref={input}
        id={inputId}
        className="text-input"
        type="tel"
        inputMode="tel"
        autoComplete="off"
        placeholder="+1 555 123 4567"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => {
          setValue(e.currentTarget.value);
          setError(null);
        }}
      />
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="group-info-form-actions">
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button" disabled={busy}>
          Add
        </button>
      </div>
    </form>
  );
}
