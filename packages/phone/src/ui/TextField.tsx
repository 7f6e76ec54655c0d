import { type InputHTMLAttributes, useEffect, useId, useRef } from 'react';

export interface TextFieldProps
  extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className' | 'autoFocus'> {
  label: string;
  hint?: string;
  error?: string | null;
  /** Mask what is typed (PINs) while keeping the textbox role that a password input lacks. */
  secret?: boolean;
  /**
   * Take the focus when this field appears (a new step, a sheet opening), so typing can start at once.
   * Inside a sheet that is not open yet, the sheet focuses it when it opens (`data-autofocus`).
   */
  focusOnMount?: boolean;
  /** `code`: large, spaced digits for one-time codes. */
  variant?: 'default' | 'code';
}

/** A labelled input with its hint and error wired to it for screen readers. */
export function TextField({ label, hint, error, secret, focusOnMount, variant, ...input }: TextFieldProps) {
  const id = useId();
  const ref = useRef<HTMLInputElement>(null);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');
  const classes = [
    'field__input',
    secret ? 'field__input--secret' : '',
    variant === 'code' ? 'field__input--code' : '',
  ];

  useEffect(() => {
    if (focusOnMount) ref.current?.focus();
  }, [focusOnMount]);

  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        {...input}
        ref={ref}
        id={id}
        className={classes.filter(Boolean).join(' ')}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        data-autofocus={focusOnMount ? true : undefined}
      />
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
