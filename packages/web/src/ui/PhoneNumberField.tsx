import { type RefObject, useId } from 'react';

interface PhoneNumberFieldProps {
  value: string;
  /** Shown under the box and announced; clears when the person types. */
  error: string | null;
  onChange: (value: string) => void;
  inputRef?: RefObject<HTMLInputElement | null>;
  /** `tel` offers the person's own number; `off` for other people's. */
  autoComplete?: 'tel' | 'off';
  className?: string;
}

/** The labelled "Phone number" textbox every form here uses, with its error tied to it for screen readers. */
export function PhoneNumberField({
  value,
  error,
  onChange,
  inputRef,
  autoComplete = 'tel',
  className = 'text-input',
}: PhoneNumberFieldProps) {
  const inputId = useId();
  const errorId = useId();
  return (
    <>
      <label className="field-label" htmlFor={inputId}>
        Phone number
      </label>
      <input
        ref={inputRef}
        id={inputId}
        className={className}
        type="tel"
        inputMode="tel"
        autoComplete={autoComplete}
        placeholder="+1 555 123 4567"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
