import { type FormEvent, useEffect, useRef, useState } from 'react';
import { PhoneNumberField } from '../ui/PhoneNumberField';
import { parsePhoneInput } from './PhoneNumberList';

interface AddMemberFormProps {
  addMember: (phoneNumber: string) => Promise<unknown>;
  onDone: () => void;
  describeError: (error: unknown) => string;
}

/** An admin adds someone by number: "Phone number", Add, Cancel. */
export function AddMemberForm({ addMember, onDone, describeError }: AddMemberFormProps) {
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
      <PhoneNumberField
        inputRef={input}
        value={value}
        error={error}
        autoComplete="off"
        onChange={(v) => {
          setValue(v);
          setError(null);
        }}
      />
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
