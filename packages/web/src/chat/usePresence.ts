import type { PresenceView } from '@latch/protocol';
import { useEffect, useEffectEvent, useState } from 'react';

/** How often the open direct chat asks whether the other person is online. */
export const PRESENCE_POLL_MS = 30_000;

/**
 * MSG-5: the other person's presence for the open direct chat: asked when the chat opens, every
 * 30 s while it stays open, when the window gets focus, and again after each reconnect.
 */
export function usePresence(
  getPresence: (accountId: string) => Promise<PresenceView | null>,
  accountId: string | null,
  connected: boolean,
): PresenceView | null {
  const [presence, setPresence] = useState<PresenceView | null>(null);
  const ask = useEffectEvent((id: string, isCurrent: () => boolean) => {
    getPresence(id).then(
      (view) => {
        if (isCurrent()) setPresence(view);
      },
      () => undefined,
    );
  });
  useEffect(() => {
    setPresence(null);
    if (!accountId || !connected) return;
    let current = true;
    const poll = () => ask(accountId, () => current);
    poll();
    const timer = setInterval(poll, PRESENCE_POLL_MS);
    addEventListener('focus', poll);
    return () => {
      current = false;
      clearInterval(timer);
      removeEventListener('focus', poll);
    };
  }, [accountId, connected]);
  return presence?.accountId === accountId ? presence : null;
}
