import { MAX_MESSAGE_LENGTH } from '@latch/protocol';
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { SendIcon } from '../ui/icons';
import { useTypingSignal } from './useTypingSignal';

const MAX_ROWS = 6;

interface ComposerProps {
  chatId: string;
  onSend: (text: string) => void;
  setTyping: (chatId: string, typing: boolean) => void;
}

/** The message box: Enter sends, Shift+Enter starts a new line. */
export function Composer({ chatId, onSend, setTyping }: ComposerProps) {
  const [text, setText] = useState('');
  const typing = useTypingSignal(chatId, setTyping);
  const input = useRef<HTMLTextAreaElement>(null);
  // Opening a chat on a wide screen means "about to type"; on a phone it would pop the keyboard.
  useEffect(() => {
    if (matchMedia('(min-width: 761px)').matches) input.current?.focus();
  }, []);
  const rows = Math.min(MAX_ROWS, Math.max(1, text.split('\n').length));

  const submit = () => {
    if (!text.trim()) return;
    onSend(text);
    setText('');
    typing.stop();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={input}
        className="composer-input"
        aria-label="Type a message"
        placeholder="Type a message"
        rows={rows}
        maxLength={MAX_MESSAGE_LENGTH}
        value={text}
        onKeyDown={onKeyDown}
        onBlur={typing.stop}
        onChange={(event) => {
          setText(event.currentTarget.value);
          if (event.currentTarget.value) typing.onKeystroke();
          else typing.stop();
        }}
      />
      <button type="submit" className="send-button" aria-label="Send" disabled={!text.trim()}>
        <SendIcon />
      </button>
    </form>
  );
}
