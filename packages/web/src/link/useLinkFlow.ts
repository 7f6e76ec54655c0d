import { initialLinkState, type LinkEvent, type LinkState, linkFlowReducer } from '@latch/client';
import { encodeQrPayload } from '@latch/protocol';
import { type Dispatch, useEffect, useReducer, useRef, useState } from 'react';
import { type Attempt, newAttempt, QR_START, runAttempt, type StartOptions } from './linkAttempt';
import { type LinkedDevice, useApprovalSteps, useRetryAfterLoss } from './useApprovalSteps';

export type { LinkedDevice } from './useApprovalSteps';

/** A ref or code is dropped this long after its stated expiry if the server has not replaced it. */
const EXPIRY_GRACE_MS = 750;

export interface LinkFlow {
  state: LinkState;
  /** The text to draw as a QR code, only while a live ref is shown. */
  qrText: string | null;
  /** Starts over; with a number, straight back to a fresh linking code for it. */
  restart: (phoneNumber?: string) => void;
  openPhoneForm: () => void;
  submitPhone: (phoneNumber: string) => void;
  backToQr: () => void;
}

/** Runs the QR / phone-number link flow; calls `onLinked` once the claim succeeded. */
export function useLinkFlow(keepSignedIn: boolean, onLinked: (device: LinkedDevice) => void): LinkFlow {
  const [state, dispatch] = useReducer(linkFlowReducer, initialLinkState);
  const [run, setRun] = useState<{ options: StartOptions }>({ options: QR_START });
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const attemptRef = useRef<Attempt | null>(null);

  // Each run (first mount, restart, "Keep me signed in" changed) is a new attempt with a new key.
  useEffect(() => {
    const controller = new AbortController();
    const current = newAttempt();
    attemptRef.current = current;
    setAttempt(current);
    dispatch({ type: 'reset' });
    void runAttempt(current, keepSignedIn, run.options, dispatch, controller.signal);
    return () => {
      controller.abort();
      current.channel?.close();
    };
  }, [keepSignedIn, run]);

  useExpiryTimers(state, dispatch);
  useRetryAfterLoss(state, () => setRun({ options: QR_START }));
  useApprovalSteps(state, attemptRef, dispatch, onLinked);

  const restart = (options: StartOptions = QR_START) => setRun({ options });
  const settled = state.kind === 'expired' || state.kind === 'failed';

  return {
    state,
    qrText: qrTextFor(state, attempt),
    restart: (phoneNumber) => restart(phoneNumber ? { phoneForm: true, phoneNumber } : QR_START),
    openPhoneForm: () => {
      if (settled) restart({ phoneForm: true, phoneNumber: null });
      else dispatch({ type: 'phone_form_opened' });
    },
    submitPhone: (phoneNumber) => {
      const current = attemptRef.current;
      if (!current?.channel) return;
      current.channel.send({ type: 'link.byPhone', phoneNumber });
      current.byPhone = true;
      dispatch({ type: 'phone_submitted', phoneNumber });
    },
    backToQr: () => {
      const current = attemptRef.current;
      if (settled || !current) return restart();
      if (current.byPhone) current.channel?.send({ type: 'link.useQr' });
      current.byPhone = false;
      current.linkCode = null;
      dispatch({ type: 'qr_requested', now: Date.now() });
    },
  };
}

function qrTextFor(state: LinkState, attempt: Attempt | null): string | null {
  if (state.kind !== 'showing_qr' || !attempt?.key) return null;
  return encodeQrPayload({
    origin: location.origin,
    ref: state.ref,
    devicePublicKey: attempt.key.publicKey,
    linkSecret: attempt.linkSecret,
  });
}

/** Drops a ref or code that outlived its expiry without a replacement (the page never shows a stale code). */
function useExpiryTimers(state: LinkState, dispatch: Dispatch<LinkEvent>): void {
  useEffect(() => {
    let event: LinkEvent;
    let at: number;
    if (state.kind === 'showing_qr') {
      event = { type: 'ref_timed_out', ref: state.ref };
      at = state.expiresAt;
    } else if (state.kind === 'showing_code') {
      event = { type: 'code_timed_out', code: state.code };
      at = state.expiresAt;
    } else {
      return;
    }
    const timer = setTimeout(() => dispatch(event), Math.max(0, at - Date.now()) + EXPIRY_GRACE_MS);
    return () => clearTimeout(timer);
  }, [state, dispatch]);
}
