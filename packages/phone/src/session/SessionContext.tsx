import { createContext, type ReactNode, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import type { EventOf, EventType, PhoneSession, SessionSnapshot } from './PhoneSession';

const SessionContext = createContext<PhoneSession | null>(null);

export function SessionProvider({ session, children }: { session: PhoneSession; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The signed-in session; only rendered below a {@link SessionProvider}. */
export function useSession(): PhoneSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

export function useSnapshot(): SessionSnapshot {
  const session = useSession();
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}

/** Calls the latest `handler` for every server event of `type` while mounted. */
export function useServerEvent<T extends EventType>(type: T, handler: (frame: EventOf<T>) => void): void {
  const session = useSession();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => session.on(type, (frame) => ref.current(frame)), [session, type]);
}

/**
 * Runs `load` now and again each time the socket becomes ready (after a reconnect), so a screen
 * catches up on whatever it missed while offline.
 */
export function useOnReady(load: () => void): void {
  const snapshot = useSnapshot();
  const ref = useRef(load);
  ref.current = load;
  const ready = snapshot.connection.kind === 'ready';
  useEffect(() => {
    if (ready) ref.current();
  }, [ready]);
}
