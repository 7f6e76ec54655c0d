import type { ConnectionState } from '@latch/client';
import { useEngineSnapshot } from '@latch/react';
import { lazy, Suspense } from 'react';
import { SplashScreen } from './SplashScreen';

const loadChatScreen = () => import('../chat/ChatScreen');
const ChatScreen = lazy(() => loadChatScreen().then((m) => ({ default: m.ChatScreen })));

/** Starts fetching the chat screen's code while the socket does its handshake. */
export function preloadChatScreen(): void {
  void loadChatScreen();
}

function splashMessage(state: ConnectionState): string {
  switch (state.kind) {
    case 'connecting':
    case 'ready':
      return 'Loading your chats…';
    case 'reconnecting':
    case 'offline':
      return "Can't reach Latch right now. Trying again…";
    case 'logged_out':
    case 'closed':
      return 'Logging out…';
    default: {
      const missing: never = state;
      throw new Error(`Unhandled connection state: ${JSON.stringify(missing)}`);
    }
  }
}

/**
 * A linked browser: the cached chats as soon as the local cache is read (before the socket is
 * ready), else a splash until the first `ready`; then the chats, kept while reconnecting.
 */
export function SessionScreen({ onLogout }: { onLogout: () => void }) {
  const connection = useEngineSnapshot((s) => s.connection);
  const cacheLoaded = useEngineSnapshot((s) => s.cacheLoaded);
  const identity = useEngineSnapshot((s) => s.identity);
  if (!cacheLoaded || !identity) return <SplashScreen message={splashMessage(connection)} />;
  return (
    <Suspense fallback={<SplashScreen message="Loading your chats…" />}>
      <ChatScreen identity={identity} onLogout={onLogout} />
    </Suspense>
  );
}
