import { MAX_MESSAGE_LENGTH } from '@latch/protocol';
import { useState } from 'react';
import { Icon } from '../ui/Icon';

export interface ComposerProps {
  onSend: (text: string) => void;
  onTyped: () => void;
}

/** The message box: Enter sends, Shift+Enter makes a new line. */
export function Composer({ onSend, onTyped }: ComposerProps) {
  const [text, setText] = useState('');
  const send = () => {
    if (text.trim().length === 0) return;
    onSend(text);
    setText('');
  };
  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <textarea
        className="composer__input"
        aria-label="Type a message"
        placeholder="Message"
        rows={1}
        maxLength={MAX_MESSAGE_LENGTH}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onTyped();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <button type="submit" className="composer__send" aria-label="Send" disabled={text.trim().length === 0}>
        <Icon name="send" />
      </button>
    </form>
  );
}
