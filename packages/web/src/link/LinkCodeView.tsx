import type { LinkState } from '@latch/client';
import { formatLinkCode } from '@latch/protocol';
import { PhoneIcon } from '../ui/icons';
import { useNow } from '../ui/useNow';
import { MatchNumber } from './MatchNumber';

type CodeState = Extract<LinkState, { kind: 'showing_code' | 'scanned' | 'expired' }>;

interface LinkCodeViewProps {
  state: CodeState;
  onNewCode: (phoneNumber: string | null) => void;
  onUseQr: () => void;
}

function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

function CodeDisplay({ code, expiresAt }: { code: string; expiresAt: number }) {
  const now = useNow(1000);
  const formatted = formatLinkCode(code.toUpperCase().replace(/[\s-]/g, ''));
  return (
    <div className="link-code-box">
      <output className="link-code" aria-label="Linking code">
        <span className="link-code-half">{formatted.slice(0, 4)}</span>
        <span className="link-code-dash">-</span>
        <span className="link-code-half">{formatted.slice(5)}</span>
      </output>
      <p className="link-code-expiry">Code expires in {formatRemaining(expiresAt - now)}</p>
    </div>
  );
}

function CodeStatus({ state, onNewCode }: Pick<LinkCodeViewProps, 'state' | 'onNewCode'>) {
  switch (state.kind) {
    case 'showing_code':
      return <CodeDisplay code={state.code} expiresAt={state.expiresAt} />;
    case 'scanned':
      if (state.matchNumber !== null)
        return <MatchNumber number={state.matchNumber} className="match-number-wide" />;
      return (
        <div className="link-code-box qr-message" role="status">
          <PhoneIcon className="qr-message-icon" />
          <p className="qr-message-title">Confirm on your phone…</p>
        </div>
      );
    case 'expired':
      return (
        <div className="link-code-box">
          <p className="link-code-expired">This code has expired.</p>
          <button type="button" className="button" onClick={() => onNewCode(state.phoneNumber)}>
            Get a new code
          </button>
        </div>
      );
    default: {
      const missing: never = state;
      throw new Error(`Unhandled code state: ${JSON.stringify(missing)}`);
    }
  }
}

/** LNK-11: the code to type on the phone, and how to get there. */
export function LinkCodeView({ state, onNewCode, onUseQr }: LinkCodeViewProps) {
  const phoneNumber = state.kind === 'showing_code' ? state.phoneNumber : null;
  return (
    <>
      <div className="link-body link-body-single">
        <div className="link-instructions">
          <h1 className="link-title">Enter code on phone</h1>
          {phoneNumber && (
            <p className="link-lead">
              Linking with <strong>{phoneNumber}</strong>
            </p>
          )}
          <CodeStatus state={state} onNewCode={onNewCode} />
          <ol className="link-steps">
            <li>Open Latch on your phone</li>
            <li>
              If Latch is open, it asks for this code by itself. If not, go to <strong>Settings</strong> →{' '}
              <strong>Linked devices</strong> → <strong>Link with phone number instead</strong>
            </li>
            <li>Enter this code on your phone</li>
          </ol>
        </div>
      </div>
      <div className="link-card-footer">
        <button type="button" className="link-button" onClick={onUseQr}>
          Link with QR code
        </button>
      </div>
    </>
  );
}
