import { type DeviceKey, DeviceKeyStore, type LatchEngine, logoutChannel } from '@latch/client';
import { EngineProvider } from '@latch/react';
import { lazy, Suspense, useEffect, useEffectEvent, useRef, useState } from 'react';
import { type EndReason, type LogoutNotice, parseEndReason } from './app/logoutNotice';
import { preloadChatScreen, SessionScreen } from './app/SessionScreen';
import { SplashScreen } from './app/SplashScreen';
import { startEngine } from './app/startEngine';
import { KEY_STORE_NAME } from './app/storageKeys';
import type { LinkedDevice } from './link/useLinkFlow';

// Split by route (a linked browser never downloads the QR page and its QR encoder; the QR page
// never downloads the chat screen): the first load is only React, the protocol and this file.
const loadQrLinkPage = () => import('./link/QrLinkPage');
const QrLinkPage = lazy(() => loadQrLinkPage().then((m) => ({ default: m.QrLinkPage })));

/** A linked browser at work: its engine (connection, sync, local cache, outbox, logout). */
interface Session {
  engine: LatchEngine;
}

/** Who ended the session: this tab's menu, the server (socket close / logged_out), or another tab. */
type LogoutSource = 'self' | 'server' | 'tab';

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
    const engine = startEngine(key, (reason) => channel.current?.announce(reason));
    setView({ kind: 'session', engine });
  };

  /**
   * The one logout path (OUT-*): the engine revokes, wipes and reports; this only shows the QR page
   * afterwards. Another tab's logout already wiped the shared storage: close without writing.
   */
  const endSession = async ({ engine }: Session, source: LogoutSource, reason: EndReason) => {
    if (ending.current) return;
    ending.current = true;
    setView({ kind: 'logging_out' });
    if (source === 'tab') engine.close({ flush: false });
    else if (source === 'self') await engine.logout();
    else await engine.whenWiped();
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
    const state = session.engine.getSnapshot().connection;
    if (state.kind === 'logged_out') void endSession(session, 'server', state.reason);
  });
  useEffect(() => {
    if (view.kind !== 'session') return;
    const unsubscribe = view.engine.subscribe(() => onSocketState(view));
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
        <EngineProvider engine={view.engine}>
          <SessionScreen onLogout={() => void endSession(view, 'self', 'self')} />
        </EngineProvider>
      );
    case 'logging_out':
      return <SplashScreen message="Logging out…" />;
    default: {
      const missing: never = view;
      throw new Error(`Unhandled app view: ${JSON.stringify(missing)}`);
    }
  }
}
