import { ApiError, computeMac, signMessage } from '@latch/client';
import { approvalMessage, Id, type LinkPreview, linkMacMessage } from '@latch/protocol';
import { useCallback, useState } from 'react';
import { z } from 'zod';
import type { PhoneSession } from '../session/PhoneSession';
import { useSession } from '../session/SessionContext';
import { errorCode, errorMessage } from '../ui/errorMessage';
import { linkErrorText, TAMPERED_TEXT } from './linkErrors';

/** What identifies the asking computer: a scanned QR (ref + its key) or a typed linking code. */
export type LinkSource =
  | { kind: 'qr'; ref: string; devicePublicKey: string; macKey: Uint8Array<ArrayBuffer> }
  | { kind: 'code'; code: string; macKey: Uint8Array<ArrayBuffer> };

export interface Review {
  preview: LinkPreview;
  /** When the preview arrived, to keep "Code shown 12 s ago" ticking. */
  receivedAt: number;
  via: LinkSource['kind'];
  macKey: Uint8Array<ArrayBuffer>;
  pinRequired: boolean;
  busy: boolean;
  error: string | null;
}

export const LimitDevices = z.array(z.object({ id: Id, name: z.string() }));
export type LimitDevices = z.infer<typeof LimitDevices>;

export type LinkFlowState =
  | { kind: 'input' }
  | { kind: 'checking' }
  | { kind: 'refused'; message: string }
  | { kind: 'review'; review: Review }
  | { kind: 'device_limit'; review: Review; devices: LimitDevices }
  | { kind: 'linked'; deviceName: string };

export interface LinkFlow {
  state: LinkFlowState;
  check: (source: LinkSource) => void;
  refuse: (message: string) => void;
  approve: (pin: string | undefined, matchNumber: number | undefined) => void;
  /** The person said no (or closed the sheet): tell the server so the computer stops waiting. */
  cancel: () => void;
  /** Back to scanning/typing. */
  reset: () => void;
  /** After freeing a slot from the device-limit screen. */
  backToReview: () => void;
}

/** Ask who wants to link → show it → approve (signature + MAC, PIN if needed) or refuse. */
export function useLinkFlow(): LinkFlow {
  const session = useSession();
  const [state, setState] = useState<LinkFlowState>({ kind: 'input' });

  const check = useCallback(
    (source: LinkSource) => {
      setState({ kind: 'checking' });
      previewLink(session, source).then(setState);
    },
    [session],
  );

  const approve = useCallback(
    (pin: string | undefined, matchNumber: number | undefined) => {
      if (state.kind !== 'review') return;
      const review = state.review;
      setState({ kind: 'review', review: { ...review, busy: true, error: null } });
      approveLink(session, review, pin, matchNumber).then(
        () => setState({ kind: 'linked', deviceName: review.preview.deviceName }),
        (err: unknown) => setState(afterApproveError(review, err)),
      );
    },
    [session, state],
  );

  const cancel = useCallback(() => {
    if (state.kind === 'review' || state.kind === 'device_limit') {
      session.request('link.refuse', { linkId: state.review.preview.linkId }).catch(() => undefined);
    }
  }, [session, state]);

  const backToReview = useCallback(() => {
    if (state.kind === 'device_limit') setState({ kind: 'review', review: { ...state.review, busy: false } });
  }, [state]);

  return {
    state,
    check,
    refuse: (message) => setState({ kind: 'refused', message }),
    approve,
    cancel,
    reset: () => setState({ kind: 'input' }),
    backToReview,
  };
}

/** Asks the server who is behind a QR ref or linking code; refuses a QR whose key was swapped (LNK-4). */
async function previewLink(session: PhoneSession, source: LinkSource): Promise<LinkFlowState> {
  const params = source.kind === 'qr' ? { ref: source.ref } : { code: source.code };
  let preview: LinkPreview;
  try {
    preview = await session.request('link.preview', params);
  } catch (err) {
    return { kind: 'refused', message: linkErrorText(err, source.kind) };
  }
  if (source.kind === 'qr' && preview.devicePublicKey !== source.devicePublicKey) {
    session.request('link.refuse', { linkId: preview.linkId }).catch(() => undefined);
    return { kind: 'refused', message: TAMPERED_TEXT };
  }
  const review: Review = {
    preview,
    receivedAt: Date.now(),
    via: source.kind,
    macKey: source.macKey,
    pinRequired: preview.pinRequired,
    busy: false,
    error: null,
  };
  return { kind: 'review', review };
}

/** Signs the approval with the account identity key and MACs it with the QR secret or linking code. */
async function approveLink(
  session: PhoneSession,
  review: Review,
  pin: string | undefined,
  matchNumber: number | undefined,
): Promise<void> {
  const { key } = session;
  const { linkId, devicePublicKey } = review.preview;
  const signature = await signMessage(key, approvalMessage(linkId, devicePublicKey));
  const mac = await computeMac(review.macKey, linkMacMessage(devicePublicKey, key.publicKey));
  await session.request('link.approve', {
    linkId,
    devicePublicKey,
    signature,
    mac,
    ...(pin ? { pin } : {}),
    ...(matchNumber === undefined ? {} : { matchNumber }),
  });
}

function afterApproveError(review: Review, err: unknown): LinkFlowState {
  const code = errorCode(err);
  const idle = { ...review, busy: false };
  switch (code) {
    case 'pin_required':
      return {
        kind: 'review',
        review: { ...idle, pinRequired: true, error: 'Enter your PIN to link a device.' },
      };
    case 'pin_invalid':
    case 'pin_locked':
      return { kind: 'review', review: { ...idle, pinRequired: true, error: errorMessage(err) } };
    case 'device_limit': {
      const listed = LimitDevices.safeParse(err instanceof ApiError ? err.details?.devices : undefined);
      return { kind: 'device_limit', review: idle, devices: listed.success ? listed.data : [] };
    }
    case 'ref_expired':
    case 'ref_used':
    case 'ref_unknown':
    case 'signature_invalid':
    case 'number_mismatch':
      return { kind: 'refused', message: linkErrorText(err, review.via) };
    default:
      return { kind: 'review', review: { ...idle, error: errorMessage(err) } };
  }
}
