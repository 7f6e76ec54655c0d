import { type DeviceKey, DeviceKeyStore, logoutChannel } from '@latch/client';
import { lazy, Suspense, useEffect, useEffectEvent, useRef, useState } from 'react';
import { Connection } from './app/Connection';
import { type LogoutSource, performLogout } from './app/logout';
import { type EndReason, type LogoutNotice, parseEndReason } from './app/logoutNotice';
import { preloadChatScreen, SessionScreen } from './app/SessionScreen';
import { SplashScreen } from './app/SplashScreen';
import { KEY_STORE_NAME, readStorage, STORAGE_KEYS } from './app/storageKeys';
import { ChatCache } from './cache/ChatCache';
import type { LinkedDevice } from './link/useLinkFlow';

// Split by route (a linked browser never downloads the QR page and its QR encoder; the QR page
// never downloads the chat screen): the first load is only React, the protocol and this file.
const loadQrLinkPage = () => import('./link/QrLinkPage');
const QrLinkPage = lazy(() => loadQrLinkPage().then((m) => ({ default: m.QrLinkPage })));

/** A linked browser at work: its socket and its local message cache. */
interface Session {
  connection: Connection;
  cache: ChatCache;
}

/** The whole app is one of these. */
type AppView =
  | { kind: 'booting' }
  /** `attempt` remounts the QR page, so every logout shows a fresh code. */
  | { kind: 'linking'; notice: LogoutNotice | null; attempt: number }
  | ({ kind: 'session' } & Session)
  | { kind: 'logging_out' };

async function loadDeviceKey(): Promise<DeviceKey | null> {
  try {
    return await new DeviceKeyStore(KEY_STORE_NAME).load();
  } catch {
    return null;
  }
}

type LogoutAnnouncer = ReturnType<typeof logoutChannel>;

/**
 * Boot and session lifecycle: a stored key means "linked" and goes straight to the socket
 * handshake (LNK-13); no key means the QR page; every way a session ends runs one logout path.
 */
export function App() {
  const [view, setView] = useState<AppView>({ kind: 'booting' });
  const ending = useRef(false);
  const attempts = useRef(0);
  const channel = useRef<LogoutAnnouncer | null>(null);

  const showQrPage = (notice: LogoutNotice | null) => {
    void loadQrLinkPage();
    attempts.current += 1;
    setView({ kind: 'linking', notice, attempt: attempts.current });
  };

  const startSession = (key: DeviceKey) => {
    preloadChatScreen();
    const connection = new Connection(key);
    const cache = new ChatCache(key.publicKey);
    cache.start();
    connection.start();
    setView({ kind: 'session', connection, cache });
  };

  const endSession = async ({ connection, cache }: Session, source: LogoutSource, reason: EndReason) => {
    if (ending.current) return;
    ending.current = true;
    connection.close();
    // No write may land after the wipe, and an open database would hold its deletion up.
    cache.close();
    // Read before the wipe: the report needs it even when the socket never got to `ready`.
    const deviceId = connection.identity?.deviceId ?? readStorage(STORAGE_KEYS.deviceId);
    setView({ kind: 'logging_out' });
    await performLogout({
      reason,
      source,
      key: connection.key,
      deviceId,
      announce: (r) => channel.current?.announce(r),
    });
    ending.current = false;
    showQrPage({ reason });
  };

  const boot = useEffectEvent((key: DeviceKey | null) => (key ? startSession(key) : showQrPage(null)));
  useEffect(() => {
    let cancelled = false;
    void loadDeviceKey().then((key) => {
      if (!cancelled) boot(key);
    });
    return () => {
      cancelled = true;
    };
  }, []);

  // OUT-3: another tab logged out; this one follows without asking the server again.
  const onOtherTabLogout = useEffectEvent((reason: string) => {
    if (view.kind === 'session') void endSession(view, 'tab', parseEndReason(reason));
  });
  useEffect(() => {
    const ch = logoutChannel('web', (reason) => onOtherTabLogout(reason));
    channel.current = ch;
    return () => ch.close();
  }, []);

  // OUT-4 / OUT-5: the socket says this device is logged out (event, 4403, or 4401 on return).
  const onSocketState = useEffectEvent((session: Session) => {
    const state = session.connection.state;
    if (state.kind === 'logged_out') void endSession(session, 'server', state.reason);
  });
  useEffect(() => {
    if (view.kind !== 'session') return;
    const unsubscribe = view.connection.subscribeState(() => onSocketState(view));
    onSocketState(view);
    return unsubscribe;
  }, [view]);

  switch (view.kind) {
    case 'booting':
      return <SplashScreen message="Starting Latch…" />;
    case 'linking':
      return (
        <Suspense fallback={<SplashScreen message="Starting Latch…" />}>
          <QrLinkPage
            key={view.attempt}
            notice={view.notice}
            onLinked={(device: LinkedDevice) => startSession(device.key)}
          />
        </Suspense>
      );
    case 'session':
      return (
        <SessionScreen
          connection={view.connection}
          cache={view.cache}
          onLogout={() => void endSession(view, 'self', 'self')}
        />
      );
    case 'logging_out':
      return <SplashScreen message="Logging out…" />;
    default: {
      const missing: never = view;
      throw new Error(`Unhandled app view: ${JSON.stringify(missing)}`);
    }
  }
}
