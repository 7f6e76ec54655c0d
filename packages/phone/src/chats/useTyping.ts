import { useCallback, useEffect, useRef, useState } from 'react';
import { useServerEvent, useSession } from '../session/SessionContext';

const SEND_EVERY_MS = 3000;
const IDLE_MS = 5000;
const SHOWN_MS = 6000;

export interface Typing {
  /** Account ids typing in this chat right now (not this account). */
  others: string[];
  /** Call on every keystroke in the composer: tells the others, at most every few seconds. */
  typed: () => void;
  /** Call on send or leave. */
  stop: () => void;
}

/** Typing indicators both ways for one chat. A lost "stopped" frame expires on its own. */
export function useTyping(chatId: string, ownAccountId: string): Typing {
  const session = useSession();
  const [others, setOthers] = useState<Map<string, number>>(new Map());
  const sentAt = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout> | null>(null);

  useServerEvent('typing', (frame) => {
    if (frame.chatId !== chatId || frame.accountId === ownAccountId) return;
    setOthers((t) => {
      const next = new Map(t);
      if (frame.typing) next.set(frame.accountId, Date.now() + SHOWN_MS);
      else next.delete(frame.accountId);
      return next;
    });
  });

  useEffect(() => {
    if (others.size === 0) return;
    const timer = setInterval(() => {
      const now = Date.now();
      setOthers((t) => new Map([...t].filter(([, until]) => until > now)));
    }, 1000);
    return () => clearInterval(timer);
  }, [others.size]);

  const stop = useCallback(() => {
    if (idle.current) clearTimeout(idle.current);
    idle.current = null;
    if (sentAt.current === 0) return;
    sentAt.current = 0;
    session.request('typing.set', { chatId, typing: false }).catch(() => undefined);
  }, [chatId, session]);

  useEffect(() => stop, [stop]);

  const typed = useCallback(() => {
    const now = Date.now();
    if (now - sentAt.current > SEND_EVERY_MS) {
      sentAt.current = now;
      session.request('typing.set', { chatId, typing: true }).catch(() => undefined);
    }
    if (idle.current) clearTimeout(idle.current);
    idle.current = setTimeout(stop, IDLE_MS);
  }, [chatId, session, stop]);

  return { others: [...others.keys()], typed, stop };
}
