import type { LinkState } from '@latch/client';
import { AlertIcon } from '../ui/icons';
import { KeepSignedInCheckbox } from './KeepSignedInCheckbox';
import { QrBox } from './QrBox';

interface QrLinkViewProps {
  state: LinkState;
  qrText: string | null;
  keepSignedIn: boolean;
  onKeepSignedInChange: (value: boolean) => void;
  onRestart: () => void;
  onUsePhoneNumber: () => void;
}

/** Linking by QR: the steps on the left, the code on the right, like the messenger people know. */
export function QrLinkView(props: QrLinkViewProps) {
  const { state } = props;
  const busy = state.kind === 'verifying' || state.kind === 'claiming' || state.kind === 'done';
  const notice = state.kind === 'connecting' || state.kind === 'showing_qr' ? state.notice : undefined;
  return (
    <>
      {notice === 'number_mismatch' && (
        <div className="logout-notice" role="alert">
          <AlertIcon className="logout-notice-icon" />
          <p>
            <strong>The number didn’t match</strong>{' '}
            <span>
              The number picked on your phone was not the one this screen showed, so nothing was linked. Scan
              the new code, then pick the number shown here.
            </span>
          </p>
        </div>
      )}
      <div className="link-body">
        <div className="link-instructions">
          <h1 className="link-title">Use Latch on your computer</h1>
          <ol className="link-steps">
            <li>Open Latch on your phone</li>
            <li>
              Tap <strong>Settings</strong>, then <strong>Linked devices</strong>
            </li>
            <li>
              Tap <strong>Link a device</strong>
            </li>
            <li>Point your phone at this screen to scan the QR code</li>
          </ol>
          <KeepSignedInCheckbox
            checked={props.keepSignedIn}
            disabled={busy}
            onChange={props.onKeepSignedInChange}
          />
        </div>
        <div className="link-qr">
          <QrBox state={state} qrText={props.qrText} onRestart={props.onRestart} />
        </div>
      </div>
      <div className="link-card-footer">
        <button type="button" className="link-button" disabled={busy} onClick={props.onUsePhoneNumber}>
          Link with phone number
        </button>
      </div>
    </>
  );
}
