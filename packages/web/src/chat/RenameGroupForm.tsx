import { DisplayName, MAX_NAME_LENGTH } from '@latch/protocol';
import { useAsyncAction } from '@latch/react';
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
  const renaming = useAsyncAction(async (name: string) => {
    await rename(name);
    onDone();
  }, describeError);
  const error = renaming.error;
  useEffect(() => input.current?.select(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = DisplayName.safeParse(value);
    if (!parsed.success) return renaming.fail(parsed.error.issues[0]?.message ?? 'Enter a name');
    if (parsed.data === current) return onDone();
    void renaming.run(parsed.data);
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
          renaming.reset();
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
        <button type="submit" className="button" disabled={renaming.busy}>
          Save
        </button>
      </div>
    </form>
  );
}
