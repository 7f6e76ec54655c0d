import { useAsyncAction } from '@latch/react';
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
  const adding = useAsyncAction(async (phoneNumber: string) => {
    await addMember(phoneNumber);
    onDone();
  }, describeError);
  useEffect(() => input.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parsePhoneInput(value);
    if (parsed.ok) void adding.run(parsed.number);
    else adding.fail(parsed.error);
  };

  return (
    <form className="group-info-form" noValidate onSubmit={submit}>
      <PhoneNumberField
        inputRef={input}
        value={value}
        error={adding.error}
        autoComplete="off"
        onChange={(v) => {
          setValue(v);
          adding.reset();
        }}
      />
      <div className="group-info-form-actions">
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button" disabled={adding.busy}>
          Add
        </button>
      </div>
    </form>
  );
}
