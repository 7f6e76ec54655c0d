import { DisplayName, MAX_NAME_LENGTH } from '@latch/protocol';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';

interface RenameGroupFormProps {
  current: string;
  rename: (name: string) => Promise<unknown>;
  onDone: () => void;
  describeError: (error: unknown) => string;
}

/** An admin renames the group in place: "Group name", Save, Cancel. */
export function RenameGroupForm({ current, rename, onDone, describeError }: RenameGroupFormProps) {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => input.current?.select(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = DisplayName.safeParse(value);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Enter a name');
      return;
    }
    if (parsed.data === current) return onDone();
    setBusy(true);
    try {
      await rename(parsed.data);
      onDone();
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <form className="group-info-form" noValidate onSubmit={submit}>
      <label className="field-label" htmlFor={inputId}>
        Group name
      </label>
      <input
        ref={input}
        id={inputId}
        className="text-input"
        maxLength={MAX_NAME_LENGTH}
        value={value}
        aria-invalid={error ? true : undefined}
        onChange={(e) => {
          setValue(e.currentTarget.value);
          setError(null);
        }}
      />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="group-info-form-actions">
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button" disabled={busy}>
          Save
        </button>
      </div>
    </form>
  );
}
