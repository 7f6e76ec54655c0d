import { ApiError } from '@latch/client';
import { normalizePhoneInput, PhoneNumber } from '@latch/protocol';
import { useAsyncAction } from '@latch/react';
import { type FormEvent, useId, useRef, useState } from 'react';
import { Modal } from '../ui/Modal';
import { PhoneNumberField } from '../ui/PhoneNumberField';

interface NewChatDialogProps {
  openDirect: (phoneNumber: string) => Promise<{ id: string }>;
  onOpened: (chatId: string) => void;
  onClose: () => void;
}

function describeError(error: unknown, phoneNumber: string): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Try again.';
  switch (error.code) {
    case 'not_registered':
      return `${phoneNumber} isn't on Latch yet. Ask them to install Latch, then try again.`;
    case 'network':
      return "Can't reach Latch right now. Try again in a moment.";
    case 'rate_limited':
      return 'Too many attempts. Wait a moment, then try again.';
    default:
      return error.message || 'That chat could not be opened.';
  }
}

/** Opens (or creates) the direct chat with a phone number. */
export function NewChatDialog({ openDirect, onOpened, onClose }: NewChatDialogProps) {
  const titleId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  // The number the last attempt asked for: the error names it.
  const asked = useRef('');
  const opening = useAsyncAction(
    async (phoneNumber: string) => {
      asked.current = phoneNumber;
      const chat = await openDirect(phoneNumber);
      onOpened(chat.id);
    },
    (err) => describeError(err, asked.current),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = PhoneNumber.safeParse(normalizePhoneInput(value));
    if (parsed.success) void opening.run(parsed.data);
    else opening.fail(parsed.error.issues[0]?.message ?? 'Enter a phone number');
  };

  return (
    <Modal titleId={titleId} onClose={onClose} initialFocus={input}>
      <form noValidate onSubmit={submit}>
        <h2 id={titleId} className="dialog-title">
          New chat
        </h2>
        <p className="dialog-text">Enter the phone number of someone who uses Latch.</p>
        <div className="dialog-field">
          <PhoneNumberField
            inputRef={input}
            value={value}
            error={opening.error}
            onChange={(v) => {
              setValue(v);
              opening.reset();
            }}
          />
        </div>
        <div className="dialog-actions">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button" disabled={opening.busy}>
            Start chat
          </button>
        </div>
      </form>
    </Modal>
  );
}
