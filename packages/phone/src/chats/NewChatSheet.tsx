import { type ChatView, normalizePhoneInput, PhoneNumber } from '@latch/protocol';
import { useAsyncAction, useEngine } from '@latch/react';
import { useRef, useState } from 'react';
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
  // The number the last attempt asked for: the error names it.
  const asked = useRef('');
  const opening = useAsyncAction(
    async (phoneNumber: string) => {
      asked.current = phoneNumber;
      onOpened(await engine.openDirect(phoneNumber));
    },
    (err) => errorMessage(err, { not_registered: `${asked.current} is not on Latch yet.` }),
  );
  const { busy, error } = opening;

  const submit = () => {
    const parsed = PhoneNumber.safeParse(normalizePhoneInput(input));
    if (parsed.success) void opening.run(parsed.data);
    else opening.fail('Enter the number in international format, e.g. +1 555 123 4567.');
  };

  return (
    <Sheet title="New chat" onClose={onClose}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) submit();
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
