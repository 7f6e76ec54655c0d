import { browserOnline, logoutChannel, subscribeBrowserOnline } from '@latch/client';
import { type LogoutReason, LogoutReason as LogoutReasonSchema } from '@latch/protocol';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { HomeScreen } from './home/HomeScreen';
import { NameScreen } from './registration/NameScreen';
import { PinResetScreen, pinResetToken } from './registration/PinResetScreen';
import { RegistrationScreen } from './registration/RegistrationScreen';
import type { Verified } from './registration/verifyPhone';
import { Splash } from './Splash';
import { bootPhone } from './session/bootPhone';
import { logoutNotice } from './session/logoutNotice';
import { PhoneSession } from './session/PhoneSession';
import { SessionProvider, useSnapshot } from './session/SessionContext';
import { wipePhone } from './session/wipePhone';
import { LogoutOthersOffer } from './settings/LogoutOthersOffer';

/** The app's top-level states: each renders one screen. */
type AppState =
  | { kind: 'booting' }
  /** Opened from a PIN reset email. */
  | { kind: 'pin_reset'; token: string }
  | { kind: 'registering'; notice: string | null }
  /** `offerLogoutAll`: just back from a PIN reset, offer to log out the computers (ASVS 7.4.3). */
  | { kind: 'signed_in'; session: PhoneSession; offerLogoutAll?: boolean }
  /** Logged out: wiping this phone's data before showing registration. */
  | { kind: 'leaving' };

export type LeaveReason = LogoutReason | 'unauthorized' | 'user';

export function App() {
  const [state, setState] = useState<AppState>({ kind: 'booting' });
  const stateRef = useRef(state);
  stateRef.current = state;
  const channelRef = useRef<ReturnType<typeof logoutChannel> | null>(null);

  const boot = useCallback((offerLogoutAll = false) => {
    setState({ kind: 'booting' });
    bootPhone().then(
      (result) => {
        if (result.kind === 'unregistered') {
          setState({ kind: 'registering', notice: result.reason ? logoutNotice(result.reason) : null });
          return;
        }
        result.session.start();
        setState({ kind: 'signed_in', session: result.session, offerLogoutAll });
      },
      () => setState({ kind: 'registering', notice: null }),
    );
  }, []);

  // Once per page load (StrictMode runs effects twice in development; one socket is enough).
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = pinResetToken(location.hash);
    if (token) setState({ kind: 'pin_reset', token });
    else boot();
  }, [boot]);

  /** A reset link opened while the app is already showing (same tab, only the hash changes). */
  useEffect(() => {
    const onHash = () => {
      const token = pinResetToken(location.hash);
      const current = stateRef.current;
      if (!token || current.kind === 'pin_reset') return;
      if (current.kind === 'signed_in') current.session.close();
      setState({ kind: 'pin_reset', token });
    };
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  /** Another tab of this app was logged out and wiped the shared storage: follow it. */
  useEffect(() => {
    const channel = logoutChannel('phone', (reason) => {
      const current = stateRef.current;
      if (current.kind !== 'signed_in') return;
      // That tab wiped the shared storage: a last cache write would bring some of it back.
      current.session.close({ flush: false });
      const parsed = LogoutReasonSchema.safeParse(reason);
      setState({ kind: 'registering', notice: logoutNotice(parsed.success ? parsed.data : 'unauthorized') });
    });
    channelRef.current = channel;
    return () => channel.close();
  }, []);

  const leave = useCallback(async (session: PhoneSession, reason: LeaveReason) => {
    const current = stateRef.current;
    if (current.kind !== 'signed_in' || current.session !== session) return;
    setState({ kind: 'leaving' });
    if (reason === 'user') {
      // The server already heard the logout (SettingsTab); nothing more may be written.
      session.close({ flush: false });
      await wipePhone();
    } else {
      // The server ended the session: the engine is wiping this phone already.
      await session.engine.whenWiped();
    }
    channelRef.current?.announce(reason);
    setState({ kind: 'registering', notice: logoutNotice(reason) });
  }, []);

  const registered = useCallback(({ result, key }: Verified) => {
    const session = new PhoneSession(key, result.account, result.deviceId);
    session.start();
    setState({ kind: 'signed_in', session });
  }, []);

  switch (state.kind) {
    case 'booting':
      return <Splash message={null} />;
    case 'pin_reset':
      return (
        <PinResetScreen
          token={state.token}
          onContinue={(reset) => {
            history.replaceState(null, '', location.pathname);
            boot(reset);
          }}
        />
      );
    case 'leaving':
      return <Splash message="Removing Latch data from this phone…" />;
    case 'registering':
      return <RegistrationScreen notice={state.notice} onVerified={registered} />;
    case 'signed_in':
      return (
        <SessionProvider session={state.session}>
          <SignedIn
            onLeave={(reason) => void leave(state.session, reason)}
            offerLogoutAll={state.offerLogoutAll ?? false}
          />
        </SessionProvider>
      );
    default: {
      const missing: never = state;
      throw new Error(`Unhandled app state ${JSON.stringify(missing)}`);
    }
  }
}

function SignedIn({
  onLeave,
  offerLogoutAll,
}: {
  onLeave: (reason: LeaveReason) => void;
  offerLogoutAll: boolean;
}) {
  const { connection, account } = useSnapshot();
  const offline = !useSyncExternalStore(subscribeBrowserOnline, browserOnline);
  const [offering, setOffering] = useState(offerLogoutAll);
  const offered = useCallback(() => setOffering(false), []);
  const loggedOutReason = connection.kind === 'logged_out' ? connection.reason : null;
  useEffect(() => {
    if (loggedOutReason) onLeave(loggedOutReason);
  }, [loggedOutReason, onLeave]);

  if (!account)
    return <Splash message={offline ? 'Offline. Latch connects when you are back online.' : 'Connecting…'} />;
  if (account.name === '') return <NameScreen />;
  return (
    <>
      <HomeScreen account={account} onLogout={() => onLeave('user')} />
      {offering && <LogoutOthersOffer title="PIN reset" onDone={offered} />}
    </>
  );
}
