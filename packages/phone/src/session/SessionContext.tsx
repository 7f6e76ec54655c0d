import { EngineProvider } from '@latch/react';
import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react';
import type { PhoneSession, SessionSnapshot } from './PhoneSession';

export { useOnReady, useServerEvent } from '@latch/react';

const SessionContext = createContext<PhoneSession | null>(null);

/** The signed-in phone for every screen below, and its engine for the shared hooks (`@latch/react`). */
export function SessionProvider({ session, children }: { session: PhoneSession; children: ReactNode }) {
  return (
    <SessionContext.Provider value={session}>
      <EngineProvider engine={session.engine}>{children}</EngineProvider>
    </SessionContext.Provider>
  );
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
