import { type ChatView, normalizePhoneInput, PhoneNumber } from '@latch/protocol';
import { useEngine } from '@latch/react';
import { useState } from 'react';
import { errorMessage } from '../ui/errorMessage';
import { Sheet } from '../ui/Sheet';
import { TextField } from '../ui/TextField';

export interface NewChatSheetProps {
  onOpened: (chat: ChatView) => void;
  onClose: () => void;
}

/** Start a 1:1 chat by phone number. */
export function NewChatSheet({ onOpened, onClose }: NewChatSheetProps) {
  const engine = useEngine();
  const [input, setInput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const parsed = PhoneNumber.safeParse(normalizePhoneInput(input));
    if (!parsed.success) {
      setError('Enter the number in international format, e.g. +1 555 123 4567.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onOpened(await engine.openDirect(parsed.data));
    } catch (err) {
      setError(errorMessage(err, { not_registered: `${parsed.data} is not on Latch yet.` }));
      setBusy(false);
    }
  };

  return (
    <Sheet title="New chat" onClose={onClose}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void submit();
        }}
      >
        <TextField
          label="Phone number"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          placeholder="+1 555 123 4567"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          error={error}
          focusOnMount
        />
        <button type="submit" className="btn btn--primary btn--block" disabled={busy}>
          {busy ? 'Opening…' : 'Start chat'}
        </button>
      </form>
    </Sheet>
  );
}
