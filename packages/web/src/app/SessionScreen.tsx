import type { SocketState } from '@latch/client';
import { lazy, Suspense, useSyncExternalStore } from 'react';
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
  onLogout: () => void;
}

/** A linked browser: splash until the first `ready`, then the chats (kept while reconnecting). */
export function SessionScreen({ connection, onLogout }: SessionScreenProps) {
  const state = useSyncExternalStore(connection.subscribeState, () => connection.state);
  const identity = connection.identity;
  if (!identity) return <SplashScreen message={splashMessage(state)} />;
  return (
    <Suspense fallback={<SplashScreen message="Loading your chats…" />}>
      <ChatScreen connection={connection} identity={identity} socketState={state} onLogout={onLogout} />
    </Suspense>
  );
}
