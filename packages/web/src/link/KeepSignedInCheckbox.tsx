import { useId } from 'react';

interface KeepSignedInCheckboxProps {
  checked: boolean;
  disabled: boolean;
  onChange: (checked: boolean) => void;
}

/** LNK-10: unticked means a browser-session cookie and a short server lifetime. */
export function KeepSignedInCheckbox({ checked, disabled, onChange }: KeepSignedInCheckboxProps) {
  const hintId = useId();
  return (
    <div className="keep-signed-in">
      <label className="keep-signed-in-label">
        <input
          type="checkbox"
          checked={checked}
          disabled={disabled}
          aria-describedby={hintId}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
        <span>Keep me signed in</span>
      </label>
      <p id={hintId} className="keep-signed-in-hint">
        Untick on a shared computer: you'll be logged out when the browser closes.
      </p>
    </div>
  );
}
