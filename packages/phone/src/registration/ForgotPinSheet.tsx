import { ApiError, requestJson } from '@latch/client';
import { Timestamp } from '@latch/protocol';
import { formatter } from '@latch/react';
import { useState } from 'react';
import { z } from 'zod';
import { errorCode, errorMessage } from '../ui/errorMessage';
import { Sheet } from '../ui/Sheet';
import { CODE_ERRORS } from './registrationErrors';
import { type Verified, verifyPhone } from './verifyPhone';

export interface ForgotPinSheetProps {
  phoneNumber: string;
  code: string;
  onVerified: (verified: Verified) => void;
  onCodeRejected: (error: string) => void;
  onClose: () => void;
}

/** Where "I forgot my PIN" stands. */
type State =
  | { kind: 'choose' }
  | { kind: 'busy' }
  | { kind: 'emailed' }
  | { kind: 'waiting'; availableAt: number | null }
  | { kind: 'failed'; message: string };

const ResetDetails = z.object({ resetAvailableAt: Timestamp.nullable() });

/** PIN-5 / PIN-6: a reset link to the recovery email, or the 7-day wait. */
export function ForgotPinSheet({
  phoneNumber,
  code,
  onVerified,
  onCodeRejected,
  onClose,
}: ForgotPinSheetProps) {
  const [state, setState] = useState<State>({ kind: 'choose' });

  const emailLink = async () => {
    setState({ kind: 'busy' });
    try {
      await requestJson('POST', '/v1/pin/reset/request', z.unknown(), { phoneNumber });
      setState({ kind: 'emailed' });
    } catch (err) {
      setState({ kind: 'failed', message: errorMessage(err) });
    }
  };

  const askToWait = async () => {
    setState({ kind: 'busy' });
    try {
      onVerified(await verifyPhone(phoneNumber, code, { forgotPin: true }));
    } catch (err) {
      const id = errorCode(err);
      if (id === 'code_invalid' || id === 'code_expired') {
        onCodeRejected(errorMessage(err, CODE_ERRORS));
        return;
      }
      const details = ResetDetails.safeParse(err instanceof ApiError ? err.details : undefined);
      if (id === 'pin_locked' && details.success) {
        setState({ kind: 'waiting', availableAt: details.data.resetAvailableAt });
        return;
      }
      setState({ kind: 'failed', message: errorMessage(err) });
    }
  };

  return (
    <Sheet title="Forgot your PIN?" onClose={onClose}>
      {renderBody(state, phoneNumber)}
      <div className="stack">
        <button
          type="button"
          className="btn btn--secondary btn--block"
          disabled={state.kind === 'busy'}
          onClick={() => void emailLink()}
        >
          Email me a reset link
        </button>
        <button
          type="button"
          className="btn btn--text btn--block"
          disabled={state.kind === 'busy'}
          onClick={() => void askToWait()}
        >
          {state.kind === 'waiting' ? 'Check again' : 'Register without the PIN in 7 days'}
        </button>
      </div>
    </Sheet>
  );
}

function renderBody(state: State, phoneNumber: string) {
  switch (state.kind) {
    case 'choose':
    case 'busy':
      return (
        <p className="muted">
          If you added a recovery email, we can email you a link that turns the PIN off. Without one,{' '}
          {phoneNumber} can move to this phone 7 days after you ask; the phone that has it now is told.
        </p>
      );
    case 'emailed':
      return (
        <p className="form-info" role="status">
          If this number has a recovery email, a reset link is on its way. Open it on this phone, then verify
          your number again.
        </p>
      );
    case 'waiting':
      return (
        <p className="form-info" role="status">
          {state.availableAt === null
            ? 'Your request to register without the PIN was recorded.'
            : `You can register without the PIN from ${formatter.date(state.availableAt)} at ${formatter.clock(state.availableAt)}.`}
        </p>
      );
    case 'failed':
      return (
        <p className="form-error" role="alert">
          {state.message}
        </p>
      );
    default: {
      const missing: never = state;
      throw new Error(`Unhandled forgot-PIN state ${JSON.stringify(missing)}`);
    }
  }
}
