import type { LinkState } from '@latch/client';
import { AlertIcon, PhoneIcon, ReloadIcon } from '../ui/icons';
import { Spinner } from '../ui/Spinner';
import { describeLinkFailure } from './describeLinkFailure';
import { MatchNumber } from './MatchNumber';
import { useQrDataUrl } from './useQrDataUrl';

/** Not a link payload: drawn dimmed and blurred behind the reload button so no live code is ever stale. */
const PLACEHOLDER_TEXT = 'Latch: this code has expired';

interface QrBoxProps {
  state: LinkState;
  qrText: string | null;
  onRestart: () => void;
}

function Waiting({ label }: { label: string }) {
  return (
    <div className="qr-frame qr-waiting" role="status">
      <Spinner large />
      <span className="qr-waiting-text">{label}</span>
    </div>
  );
}

function LiveQr({ text }: { text: string | null }) {
  const url = useQrDataUrl(text);
  if (!url) return <Waiting label="Generating QR code…" />;
  return (
    <div className="qr-frame">
      <img className="qr-image" src={url} width={264} height={264} alt="QR code to link this computer" />
    </div>
  );
}

function ExpiredQr({ onRestart }: { onRestart: () => void }) {
  const url = useQrDataUrl(PLACEHOLDER_TEXT);
  return (
    <div className="qr-frame qr-expired">
      {url && <img className="qr-image qr-image-dimmed" src={url} width={264} height={264} alt="" />}
      <button type="button" className="qr-reload" onClick={onRestart}>
        <span className="qr-reload-circle">
          <ReloadIcon />
        </span>
        <span>Click to reload QR code</span>
      </button>
    </div>
  );
}

/** The square on the right of the QR page: whatever the link attempt is doing, drawn exhaustively. */
export function QrBox({ state, qrText, onRestart }: QrBoxProps) {
  switch (state.kind) {
    case 'generating_key':
    case 'connecting':
    case 'entering_phone':
    case 'requesting_code':
    case 'showing_code':
      return <Waiting label="Generating QR code…" />;
    case 'showing_qr':
      return <LiveQr text={qrText} />;
    case 'scanned':
      if (state.matchNumber !== null) return <MatchNumber number={state.matchNumber} />;
      return (
        <div className="qr-frame qr-message" role="status">
          <PhoneIcon className="qr-message-icon" />
          <p className="qr-message-title">Confirm on your phone…</p>
          <p className="qr-message-text">Tap “Link device” on your phone to finish.</p>
        </div>
      );
    case 'verifying':
    case 'claiming':
      return <Waiting label="Linking this computer…" />;
    case 'done':
      return <Waiting label="Linked. Opening your chats…" />;
    case 'expired':
      return <ExpiredQr onRestart={onRestart} />;
    case 'failed':
      return (
        <div className="qr-frame qr-message qr-failed" role="alert">
          <AlertIcon className="qr-message-icon" />
          <p className="qr-message-text">{describeLinkFailure(state.failure)}</p>
          <button type="button" className="button" onClick={onRestart}>
            Try again
          </button>
        </div>
      );
    default: {
      const missing: never = state;
      throw new Error(`Unhandled link state: ${JSON.stringify(missing)}`);
    }
  }
}
