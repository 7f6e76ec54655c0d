import { useEffect, useEffectEvent, useRef } from 'react';

/** After this long without a keystroke, "typing" is switched off. */
const IDLE_MS = 3_000;

/**
 * Turns keystrokes into few `typing.set` calls: on at the first key, off after a pause,
 * on send, or when the chat changes.
 */
export function useTypingSignal(chatId: string, setTyping: (chatId: string, typing: boolean) => void) {
  const active = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const send = useEffectEvent((typing: boolean) => setTyping(chatId, typing));

  const stop = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (active.current) {
      active.current = false;
      send(false);
    }
  };

  const onKeystroke = () => {
    if (!active.current) {
      active.current = true;
      send(true);
    }
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(stop, IDLE_MS);
  };

  const stopOnLeave = useEffectEvent(stop);
  // Leaving the chat ends typing in it (the composer is remounted for each chat).
  useEffect(() => () => stopOnLeave(), []);

  return { onKeystroke, stop };
}
