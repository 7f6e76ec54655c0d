import type { SocketState } from '@latch/client';
import { lazy, Suspense, useSyncExternalStore } from 'react';
import type { ChatCache } from '../cache/ChatCache';
import type { Connection } from './Connection';
import { SplashScreen } from './SplashScreen';

const loadChatScreen = () => import('../chat/ChatScreen');
const ChatScreen = lazy(() => loadChatScreen().then((m) => ({ default: m.ChatScreen })));

/** Starts fetching the chat screen's code while the socket does its handshake. */
export function preloadChatScreen(): void {
  void loadChatScreen();
}

function splashMessage(state: SocketState): string {
  switch (state.kind) {
    case 'connecting':
    case 'ready':
      return 'Loading your chats…';
    case 'reconnecting':
      return "Can't reach Latch right now. Trying again…";
    case 'logged_out':
    case 'closed':
      return 'Logging out…';
    default: {
      const missing: never = state;
      throw new Error(`Unhandled socket state: ${JSON.stringify(missing)}`);
    }
  }
}

interface SessionScreenProps {
  connection: Connection;
  cache: ChatCache;
  onLogout: () => void;
}

/**
 * A linked browser: the cached chats as soon as the local cache is read (before the socket is
 * ready), else a splash until the first `ready`; then the chats, kept while reconnecting.
 */
export function SessionScreen({ connection, cache, onLogout }: SessionScreenProps) {
  const state = useSyncExternalStore(connection.subscribeState, () => connection.state);
  const cached = useSyncExternalStore(cache.subscribe, () => cache.current);
  if (cached.kind === 'loading') return <SplashScreen message={splashMessage(state)} />;
  const identity = connection.identity ?? cached.snapshot?.identity ?? null;
  if (!identity) return <SplashScreen message={splashMessage(state)} />;
  return (
    <Suspense fallback={<SplashScreen message="Loading your chats…" />}>
      <ChatScreen
        connection={connection}
        identity={identity}
        socketState={state}
        cache={cache}
        seed={cached.snapshot}
        onLogout={onLogout}
      />
    </Suspense>
  );
}
