import { presenceKnown } from '@latch/client';
import type { PresenceView } from '@latch/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useOnReady, useSession, useSnapshot } from '../session/SessionContext';

const REFRESH_MS = 60_000;

/**
 * Whether the other person of a direct chat is online, or when they were last seen (MSG-5); null
 * (unknown) while this phone is not connected (NET-3): an "online" from before would be a guess.
 */
export function usePresence(accountId: string | null): PresenceView | null {
  const session = useSession();
  const known = presenceKnown(useSnapshot().connection);
  const [presence, setPresence] = useState<PresenceView | null>(null);

  const load = useCallback(() => {
    if (!accountId) return;
    session.request('presence.get', { accountIds: [accountId] }).then(
      (result) => setPresence(result.presence.find((p) => p.accountId === accountId) ?? null),
      () => setPresence(null),
    );
  }, [accountId, session]);

  useOnReady(load);
  useEffect(() => {
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  return known ? presence : null;
}
