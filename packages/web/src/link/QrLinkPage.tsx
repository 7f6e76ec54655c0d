import { useState } from 'react';
import type { LogoutNotice } from '../app/logoutNotice';
import { LatchMark, LockIcon } from '../ui/icons';
import { UpdateBrowserBanner } from '../ui/UpdateBrowserBanner';
import { LinkCodeView } from './LinkCodeView';
import { LogoutNoticeBanner } from './LogoutNoticeBanner';
import type { LinkState } from './linkFlowReducer';
import { PhoneNumberForm } from './PhoneNumberForm';
import { QrLinkView } from './QrLinkView';
import { type LinkedDevice, type LinkFlow, useLinkFlow } from './useLinkFlow';
import './QrLinkPage.css';

interface QrLinkPageProps {
  /** Shown after a logout; lives in memory because the logout wiped storage. */
  notice: LogoutNotice | null;
  onLinked: (device: LinkedDevice) => void;
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
  const qr = (
    <QrLinkView
      state={state}
      qrText={flow.qrText}
      keepSignedIn={keepSignedIn}
      onKeepSignedInChange={setKeepSignedIn}
      onRestart={() => flow.restart()}
      onUsePhoneNumber={flow.openPhoneForm}
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
          onUseQr={flow.backToQr}
        />
      );
    case 'showing_code':
      return (
        <LinkCodeView state={state} onNewCode={(n) => flow.restart(n ?? undefined)} onUseQr={flow.backToQr} />
      );
    case 'scanned':
    case 'expired':
      if (state.via === 'qr') return qr;
      return (
        <LinkCodeView state={state} onNewCode={(n) => flow.restart(n ?? undefined)} onUseQr={flow.backToQr} />
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
      <p className="link-footnote">
        <LockIcon className="link-footnote-icon" />
        Your phone stays in charge: log this computer out from its menu or from your phone at any time.
      </p>
    </div>
  );
}
