import { requestJson } from '@latch/client';
import { PinResetConfirm } from '@latch/protocol';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { errorMessage } from '../ui/errorMessage';
import { BrandMark } from './BrandMark';

/** Where redeeming an emailed reset link stands. */
type State = { kind: 'working' } | { kind: 'done' } | { kind: 'failed'; message: string };

/** The token in `/phone/#pin-reset=<token>` (PIN-6), or null. */
export function pinResetToken(hash: string): string | null {
  const match = /^#pin-reset=(.+)$/.exec(hash);
  if (!match?.[1]) return null;
  const parsed = PinResetConfirm.safeParse({ token: match[1] });
  return parsed.success ? parsed.data.token : null;
}

/** Opened from the reset email: turns two-step verification off, then continues to the app. */
export function PinResetScreen({
  token,
  onContinue,
}: {
  token: string;
  /** `reset`: the PIN is off now, so a signed-in phone offers to log out its computers. */
  onContinue: (reset: boolean) => void;
}) {
  const [state, setState] = useState<State>({ kind: 'working' });
  useEffect(() => {
    requestJson('POST', '/v1/pin/reset', z.unknown(), { token }).then(
      () => setState({ kind: 'done' }),
      (err: unknown) =>
        setState({
          kind: 'failed',
          message: errorMessage(err, { code_invalid: 'This reset link is not valid any more.' }),
        }),
    );
  }, [token]);

  return (
    <main className="onboarding">
      <div className="onboarding__brand">
        <BrandMark />
        <span className="onboarding__brand-name">Latch</span>
      </div>
      <div className="onboarding__form">
        <h1 className="onboarding__title">Reset your PIN</h1>
        <p className={state.kind === 'failed' ? 'form-error' : 'onboarding__lead'} role="status">
          {state.kind === 'working' && 'Turning off two-step verification…'}
          {state.kind === 'done' &&
            'Two-step verification is off. You can now register your number without a PIN.'}
          {state.kind === 'failed' && state.message}
        </p>
        <button
          type="button"
          className="btn btn--primary btn--block onboarding__action"
          disabled={state.kind === 'working'}
          onClick={() => onContinue(state.kind === 'done')}
        >
          Continue
        </button>
      </div>
    </main>
  );
}
