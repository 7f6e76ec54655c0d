import { TextField } from './TextField';

export interface PinFieldProps {
  label: string;
  value: string;
  onChange: (pin: string) => void;
  error?: string | null;
  focusOnMount?: boolean;
}

/** A masked 6-digit PIN textbox (digits only). */
export function PinField({ label, value, onChange, error, focusOnMount }: PinFieldProps) {
  return (
    <TextField
      label={label}
      secret
      variant="code"
      inputMode="numeric"
      autoComplete="off"
      maxLength={6}
      value={value}
      onChange={(e) => onChange(e.target.value.replace(/\D/g, '').slice(0, 6))}
      error={error}
      focusOnMount={focusOnMount}
    />
  );
}
