import type { LinkState } from '@latch/client';
import { goBack, IN_APP_ENTRY } from '@latch/client';
import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import type { LogoutNotice } from '../app/logoutNotice';
import { ROUTES } from '../app/routes';
import { LatchMark, LockIcon } from '../ui/icons';
import { UpdateBrowserBanner } from '../ui/UpdateBrowserBanner';
import { LinkCodeView } from './LinkCodeView';
import { LogoutNoticeBanner } from './LogoutNoticeBanner';
import { PhoneNumberForm } from './PhoneNumberForm';
import { QrLinkView } from './QrLinkView';
import { type LinkedDevice, type LinkFlow, useLinkFlow } from './useLinkFlow';
import './QrLinkPage.css';

interface QrLinkPageProps {
  /** Shown after a logout; lives in memory because the logout wiped storage. */
  notice: LogoutNotice | null;
  onLinked: (device: LinkedDevice) => void;
}

/** The phone-number path (form, code, code confirmed on the phone): its URL is {@link ROUTES.linkByNumber}. */
function onNumberPath(state: LinkState): boolean {
  switch (state.kind) {
    case 'entering_phone':
    case 'requesting_code':
    case 'showing_code':
      return true;
    case 'scanned':
    case 'expired':
      return state.via === 'code';
    default:
      return false;
  }
}

/**
 * NAV-1: "Link with phone number instead" has its own URL, so a reload keeps the form and Back returns
 * to the QR code. The buttons change the URL; this keeps the flow in step with it.
 */
function useNumberRoute(flow: LinkFlow): { toNumber: () => void; toQr: () => void } {
  const [location, navigate] = useLocation();
  const wantNumber = location === ROUTES.linkByNumber;
  const kind = flow.state.kind;
  const onNumber = onNumberPath(flow.state);
  useEffect(() => {
    if (wantNumber && !onNumber && kind === 'showing_qr') flow.openPhoneForm();
    else if (!wantNumber && onNumber) flow.backToQr();
  }, [wantNumber, onNumber, kind, flow]);
  // Any other path (a chat left open before a logout) is this page's home.
  useEffect(() => {
    if (!wantNumber && location !== ROUTES.home) navigate(ROUTES.home, { replace: true });
  }, [wantNumber, location, navigate]);
  return {
    toNumber: () => navigate(ROUTES.linkByNumber, { state: IN_APP_ENTRY }),
    toQr: () => goBack(() => navigate(ROUTES.home, { replace: true })),
  };
}

function CardContent({
  flow,
  keepSignedIn,
  setKeepSignedIn,
}: {
  flow: LinkFlow;
  keepSignedIn: boolean;
  setKeepSignedIn: (v: boolean) => void;
}) {
  const state: LinkState = flow.state;
  const route = useNumberRoute(flow);
  const qr = (
    <QrLinkView
      state={state}
      qrText={flow.qrText}
      keepSignedIn={keepSignedIn}
      onKeepSignedInChange={setKeepSignedIn}
      onRestart={() => flow.restart()}
      onUsePhoneNumber={route.toNumber}
    />
  );
  switch (state.kind) {
    case 'generating_key':
    case 'connecting':
    case 'showing_qr':
    case 'verifying':
    case 'claiming':
    case 'done':
    case 'failed':
      return qr;
    case 'entering_phone':
    case 'requesting_code':
      return (
        <PhoneNumberForm
          busy={state.kind === 'requesting_code'}
          serverError={state.kind === 'entering_phone' ? state.error : null}
          onSubmit={flow.submitPhone}
          onUseQr={route.toQr}
        />
      );
    case 'showing_code':
      return (
        <LinkCodeView state={state} onNewCode={(n) => flow.restart(n ?? undefined)} onUseQr={route.toQr} />
      );
    case 'scanned':
    case 'expired':
      if (state.via === 'qr') return qr;
      return (
        <LinkCodeView state={state} onNewCode={(n) => flow.restart(n ?? undefined)} onUseQr={route.toQr} />
      );
    default: {
      const missing: never = state;
      throw new Error(`Unhandled link state: ${JSON.stringify(missing)}`);
    }
  }
}

/** The logged-out home: link this computer by QR code or phone-number code. */
export function QrLinkPage({ notice, onLinked }: QrLinkPageProps) {
  const [keepSignedIn, setKeepSignedIn] = useState(true);
  const flow = useLinkFlow(keepSignedIn, onLinked);
  return (
    <div className="link-page">
      <div className="link-band" />
      <header className="link-header">
        <LatchMark />
        <span className="link-brand">Latch</span>
      </header>
      <main className="link-card">
        <UpdateBrowserBanner />
        {notice && <LogoutNoticeBanner notice={notice} />}
        <CardContent flow={flow} keepSignedIn={keepSignedIn} setKeepSignedIn={setKeepSignedIn} />
      </main>
      <footer className="link-footnote">
        <LockIcon className="link-footnote-icon" />
        Your phone stays in charge: log this computer out from its menu or from your phone at any time.
      </footer>
    </div>
  );
}
