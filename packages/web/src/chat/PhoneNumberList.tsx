import { normalizePhoneInput, PhoneNumber } from '@latch/protocol';
import { type KeyboardEvent, useId, useState } from 'react';
import { CloseIcon } from '../ui/icons';

interface PhoneNumberListProps {
  numbers: string[];
  onChange: (numbers: string[]) => void;
  /** What is typed but not added yet: the dialog adds it on submit too. */
  draft: string;
  onDraftChange: (draft: string) => void;
}

/** Parses what a person typed as an E.164 number, or says what is wrong. */
export function parsePhoneInput(input: string): { ok: true; number: string } | { ok: false; error: string } {
  const parsed = PhoneNumber.safeParse(normalizePhoneInput(input));
  if (parsed.success) return { ok: true, number: parsed.data };
  return { ok: false, error: parsed.error.issues[0]?.message ?? 'Enter a phone number' };
}

/** "Phone number" + Add, and the numbers added so far, each with its Remove button. */
export function PhoneNumberList({ numbers, onChange, draft, onDraftChange }: PhoneNumberListProps) {
  const inputId = useId();
  const errorId = useId();
  const [error, setError] = useState<string | null>(null);

  const add = () => {
    const parsed = parsePhoneInput(draft);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    if (!numbers.includes(parsed.number)) onChange([...numbers, parsed.number]);
    onDraftChange('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' && draft.trim()) {
      event.preventDefault();
      add();
    }
  };

  return (
    <div className="dialog-field">
      <label className="field-label" htmlFor={inputId}>
        Phone number
      </label>
      <div className="inline-field">
        <input
          id={inputId}
          className="text-input"
          type="tel"
          inputMode="tel"
          autoComplete="off"
          placeholder="+1 555 123 4567"
          value={draft}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onKeyDown={onKeyDown}
          onChange={(e) => {
            onDraftChange(e.currentTarget.value);
            setError(null);
          }}
        />
        <button type="button" className="button button-secondary" onClick={add} disabled={!draft.trim()}>
          Add
        </button>
      </div>
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
      {numbers.length > 0 && (
        <ul className="number-chips" aria-label="Numbers to add">
          {numbers.map((n) => (
            <li key={n} className="number-chip">
              <span>{n}</span>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${n}`}
                onClick={() => onChange(numbers.filter((x) => x !== n))}
              >
                <CloseIcon />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
