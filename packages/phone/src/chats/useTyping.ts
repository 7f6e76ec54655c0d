import { useEngine, useEngineSnapshot } from '@latch/react';
import { useCallback, useEffect, useMemo, useRef } from 'react';

const SEND_EVERY_MS = 3000;
const IDLE_MS = 5000;

export interface Typing {
  /** Account ids typing in this chat right now (not this account). */
  others: string[];
  /** Call on every keystroke in the composer: tells the others, at most every few seconds. */
  typed: () => void;
  /** Call on send or leave. */
  stop: () => void;
}

/**
 * Typing indicators both ways for one chat. Who types is the engine's state (it also expires a lost
 * "stopped"); this hook only paces what the composer sends.
 */
export function useTyping(chatId: string, ownAccountId: string): Typing {
  const engine = useEngine();
  const inChat = useEngineSnapshot((s) => s.chats.typing[chatId]);
  const others = useMemo(
    () => Object.keys(inChat ?? {}).filter((id) => id !== ownAccountId),
    [inChat, ownAccountId],
  );
  const sentAt = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout> | null>(null);

  const stop = useCallback(() => {
    if (idle.current) clearTimeout(idle.current);
    idle.current = null;
    if (sentAt.current === 0) return;
    sentAt.current = 0;
    engine.setTyping(chatId, false);
  }, [chatId, engine]);

  useEffect(() => stop, [stop]);

  const typed = useCallback(() => {
    const now = Date.now();
    if (now - sentAt.current > SEND_EVERY_MS) {
      sentAt.current = now;
      engine.setTyping(chatId, true);
    }
    if (idle.current) clearTimeout(idle.current);
    idle.current = setTimeout(stop, IDLE_MS);
  }, [chatId, engine, stop]);

  return { others, typed, stop };
}
