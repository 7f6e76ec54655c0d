import type { LinkEvent } from '@latch/client';
import { type DeviceKey, generateDeviceKey, randomBase64Url } from '@latch/client';
import type { Dispatch } from 'react';
import { finishPendingLogoutWithRetry } from '../app/pendingLogout';
import { normalizeLinkCode } from './claimDevice';
import { type LinkChannel, openLinkChannel } from './linkChannel';

/** How a fresh attempt begins: on the QR, or on the phone-number form (optionally already sent). */
export interface StartOptions {
  phoneForm: boolean;
  phoneNumber: string | null;
}

export const QR_START: StartOptions = { phoneForm: false, phoneNumber: null };

/** What one attempt owns; a new attempt (restart, checkbox change) gets a new one. */
export interface Attempt {
  key: DeviceKey | null;
  linkSecret: string;
  linkCode: string | null;
  channel: LinkChannel | null;
  /** True while the server is in phone-number mode, so going back needs `link.useQr`. */
  byPhone: boolean;
}

/** A fresh attempt with its own 16-byte link secret (it goes into the QR, never to the server). */
export function newAttempt(): Attempt {
  return { key: null, linkSecret: randomBase64Url(16), linkCode: null, channel: null, byPhone: false };
}

/**
 * One attempt's side effects up to the link channel: a fresh non-extractable key, any pending
 * logout, then `link.start` and every frame into the reducer.
 */
export async function runAttempt(
  attempt: Attempt,
  keepSignedIn: boolean,
  options: StartOptions,
  dispatch: Dispatch<LinkEvent>,
  signal: AbortSignal,
): Promise<void> {
  let key: DeviceKey;
  try {
    key = await generateDeviceKey();
  } catch {
    if (!signal.aborted) dispatch({ type: 'key_failed' });
    return;
  }
  if (signal.aborted) return;
  attempt.key = key;
  dispatch({ type: 'key_ready' });
  if (options.phoneForm) dispatch({ type: 'phone_form_opened' });
  // OUT-8: a logout that never reached the server goes first, so its answer cannot clear a new cookie.
  await finishPendingLogoutWithRetry(signal);
  if (signal.aborted) return;
  let pendingNumber = options.phoneNumber;
  const channel = openLinkChannel({
    onOpen: () => channel.send({ type: 'link.start', publicKey: key.publicKey, keepSignedIn }),
    onFrame: (frame) => {
      if (signal.aborted) return;
      if (frame.type === 'link.code') attempt.linkCode = normalizeLinkCode(frame.code);
      dispatch({ type: 'frame', frame, now: Date.now() });
      if (pendingNumber !== null) {
        channel.send({ type: 'link.byPhone', phoneNumber: pendingNumber });
        attempt.byPhone = true;
        dispatch({ type: 'phone_submitted', phoneNumber: pendingNumber });
        pendingNumber = null;
      }
    },
    onClose: () => {
      if (!signal.aborted) dispatch({ type: 'channel_closed' });
    },
  });
  attempt.channel = channel;
}
