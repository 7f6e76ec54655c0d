import { LinkCode } from '@latch/protocol';
import { useState } from 'react';
import { Icon } from '../ui/Icon';
import { Sheet } from '../ui/Sheet';
import { TextField } from '../ui/TextField';
import type { LinkFlowState } from './useLinkFlow';

export interface LinkCodeSheetProps {
  state: Extract<LinkFlowState, { kind: 'input' | 'checking' | 'refused' }>;
  /** Opened by a computer's request (link.prompt) rather than by the person. */
  prompted: boolean;
  /** `code` is normalised: 8 characters, uppercase, no dash. */
  onSubmit: (code: string) => void;
  onEdit: () => void;
  onScanInstead: () => void;
  onClose: () => void;
}

/** Shows what is typed as XXXX-XXXX, whatever separators were used. */
function formatTypedCode(value: string): string {
  const raw = value
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 8);
  return raw.length > 4 ? `${raw.slice(0, 4)}-${raw.slice(4)}` : raw;
}

/** Linking by phone number: type the 8-character code the computer shows. */
export function LinkCodeSheet({
  state,
  prompted,
  onSubmit,
  onEdit,
  onScanInstead,
  onClose,
}: LinkCodeSheetProps) {
  const [input, setInput] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const submit = () => {
    const parsed = LinkCode.safeParse(input);
    if (!parsed.success) {
      setLocalError('The linking code has 8 letters and digits, like K4DP-7QXM.');
      return;
    }
    setLocalError(null);
    onSubmit(parsed.data);
  };
  const error = localError ?? (state.kind === 'refused' ? state.message : null);

  return (
    <Sheet title="Link with phone number" onClose={onClose}>
      {prompted && (
        <div className="banner banner--info" role="status">
          <Icon name="laptop" />A computer wants to link with your number
        </div>
      )}
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (state.kind !== 'checking') submit();
        }}
      >
        <p className="muted">
          Enter the code shown on the computer. Only do this if you asked to link it yourself.
        </p>
        <TextField
          label="Linking code"
          variant="code"
          placeholder="XXXX-XXXX"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={9}
          value={input}
          onChange={(e) => {
            setInput(formatTypedCode(e.target.value));
            if (state.kind === 'refused') onEdit();
          }}
          error={error}
          focusOnMount
        />
        <button type="submit" className="btn btn--primary btn--block" disabled={state.kind === 'checking'}>
          {state.kind === 'checking' ? 'Checking…' : 'Next'}
        </button>
        <button type="button" className="btn btn--text btn--block" onClick={onScanInstead}>
          Scan QR code instead
        </button>
      </form>
    </Sheet>
  );
}
