import type { ErrorCode, LinkServerFrame } from '@latch/protocol';

type ApprovedFrame = Extract<LinkServerFrame, { type: 'link.approved' }>;

/** A QR ref the page may show until `expiresAt`. */
export interface LiveRef {
  ref: string;
  index: number;
  max: number;
  expiresAt: number;
}

/** Why the page shows a new QR code: said next to it. */
export type LinkNotice = 'number_mismatch';

export type LinkFailure =
  | { kind: 'server'; code: ErrorCode; message: string }
  | { kind: 'connection_lost' }
  /** LNK-9: the approval's MAC did not match this page's secret; the account is not trusted. */
  | { kind: 'mac_mismatch' }
  | { kind: 'claim_failed'; message: string }
  | { kind: 'key_unavailable' };

/**
 * The link attempt, one state per thing the page can show. Side effects (socket, crypto, claim)
 * live in {@link useLinkFlow}; this reducer decides what may happen next, so for instance
 * `claiming` is reachable only through a MAC that checked out.
 */
export type LinkState =
  | { kind: 'generating_key' }
  /** Waiting for the server: the first ref, a fresh one after going back to QR, or after a lost ref. */
  | { kind: 'connecting'; notice?: LinkNotice }
  | ({ kind: 'showing_qr'; notice?: LinkNotice } & LiveRef)
  | { kind: 'entering_phone'; error: string | null; liveRef: LiveRef | null }
  | { kind: 'requesting_code'; phoneNumber: string }
  | { kind: 'showing_code'; code: string; phoneNumber: string; expiresAt: number }
  /** LNK-16: with `matchNumber`, the phone is elsewhere and the person must pick this number on it. */
  | { kind: 'scanned'; via: 'qr' | 'code'; matchNumber: number | null }
  | { kind: 'verifying'; approval: ApprovedFrame }
  | { kind: 'claiming'; approval: ApprovedFrame }
  | { kind: 'done'; deviceId: string }
  | { kind: 'expired'; via: 'qr' | 'code'; phoneNumber: string | null }
  | { kind: 'failed'; failure: LinkFailure };

export type LinkEvent =
  | { type: 'reset' }
  | { type: 'key_ready' }
  | { type: 'key_failed' }
  | { type: 'frame'; frame: LinkServerFrame; now: number }
  | { type: 'ref_timed_out'; ref: string }
  | { type: 'code_timed_out'; code: string }
  | { type: 'phone_form_opened' }
  | { type: 'phone_submitted'; phoneNumber: string }
  | { type: 'qr_requested'; now: number }
  | { type: 'mac_checked'; ok: boolean }
  | { type: 'claimed'; deviceId: string }
  | { type: 'claim_failed'; message: string }
  | { type: 'channel_closed' };

export const initialLinkState: LinkState = { kind: 'generating_key' };

/** States after which nothing the link channel says matters any more. */
function isSettled(state: LinkState): boolean {
  return (
    state.kind === 'verifying' ||
    state.kind === 'claiming' ||
    state.kind === 'done' ||
    state.kind === 'failed' ||
    state.kind === 'expired'
  );
}

function usesCode(state: LinkState): boolean {
  return state.kind === 'requesting_code' || state.kind === 'showing_code';
}

function phoneNumberOf(state: LinkState): string | null {
  return state.kind === 'requesting_code' || state.kind === 'showing_code' ? state.phoneNumber : null;
}

function liveRefOf(state: LinkState): LiveRef | null {
  if (state.kind !== 'showing_qr') return null;
  return { ref: state.ref, index: state.index, max: state.max, expiresAt: state.expiresAt };
}

function onRef(
  state: LinkState,
  frame: Extract<LinkServerFrame, { type: 'link.ref' }>,
  now: number,
): LinkState {
  const live: LiveRef = {
    ref: frame.ref,
    index: frame.index,
    max: frame.max,
    expiresAt: now + frame.expiresInMs,
  };
  // While the person types a number, keep the newest ref to return to; never an old one.
  if (state.kind === 'entering_phone') return { ...state, liveRef: live };
  if (usesCode(state)) return state;
  const notice = noticeOf(state);
  return { kind: 'showing_qr', ...live, ...(notice ? { notice } : {}) };
}

/** A notice stays beside the QR codes that follow it, until the page does something else. */
function noticeOf(state: LinkState): LinkNotice | undefined {
  return state.kind === 'connecting' || state.kind === 'showing_qr' ? state.notice : undefined;
}

function onFrame(state: LinkState, frame: LinkServerFrame, now: number): LinkState {
  if (isSettled(state)) return state;
  switch (frame.type) {
    case 'link.ref':
      return onRef(state, frame, now);
    case 'link.code':
      if (state.kind === 'requesting_code' || state.kind === 'showing_code') {
        return {
          kind: 'showing_code',
          code: frame.code,
          phoneNumber: state.phoneNumber,
          expiresAt: now + frame.expiresInMs,
        };
      }
      return state;
    case 'link.expired':
      return { kind: 'expired', via: usesCode(state) ? 'code' : 'qr', phoneNumber: phoneNumberOf(state) };
    case 'link.scanned':
      return {
        kind: 'scanned',
        via: usesCode(state) ? 'code' : 'qr',
        matchNumber: frame.matchNumber ?? null,
      };
    case 'link.approved':
      return { kind: 'verifying', approval: frame };
    case 'link.error':
      // A refused number is worth correcting in place; anything else ends the attempt.
      if (state.kind === 'requesting_code') {
        return { kind: 'entering_phone', error: frame.error.message, liveRef: null };
      }
      // LNK-16: the phone picked another number. The server sends a fresh QR next; say why it changed.
      if (state.kind === 'scanned' && frame.error.code === 'number_mismatch') {
        return { kind: 'connecting', notice: 'number_mismatch' };
      }
      return {
        kind: 'failed',
        failure: { kind: 'server', code: frame.error.code, message: frame.error.message },
      };
    default: {
      const missing: never = frame;
      throw new Error(`Unhandled link frame: ${JSON.stringify(missing)}`);
    }
  }
}

function onQrRequested(state: LinkState, now: number): LinkState {
  if (state.kind === 'entering_phone') {
    const live = state.liveRef;
    return live && live.expiresAt > now ? { kind: 'showing_qr', ...live } : { kind: 'connecting' };
  }
  if (usesCode(state)) return { kind: 'connecting' };
  return state;
}

/** The link flow's transitions. Pure: time comes in with the events. */
export function linkFlowReducer(state: LinkState, event: LinkEvent): LinkState {
  switch (event.type) {
    case 'reset':
      return initialLinkState;
    case 'key_ready':
      return state.kind === 'generating_key' ? { kind: 'connecting' } : state;
    case 'key_failed':
      return { kind: 'failed', failure: { kind: 'key_unavailable' } };
    case 'frame':
      return onFrame(state, event.frame, event.now);
    case 'ref_timed_out':
      if (state.kind !== 'showing_qr' || state.ref !== event.ref) return state;
      // Never leave a dead code on screen: the last one means "click to reload", others a short wait.
      if (state.index >= state.max) return { kind: 'expired', via: 'qr', phoneNumber: null };
      return state.notice ? { kind: 'connecting', notice: state.notice } : { kind: 'connecting' };
    case 'code_timed_out':
      return state.kind === 'showing_code' && state.code === event.code
        ? { kind: 'expired', via: 'code', phoneNumber: state.phoneNumber }
        : state;
    case 'phone_form_opened':
      if (isSettled(state) || state.kind === 'scanned') return state;
      return { kind: 'entering_phone', error: null, liveRef: liveRefOf(state) };
    case 'phone_submitted':
      return state.kind === 'entering_phone'
        ? { kind: 'requesting_code', phoneNumber: event.phoneNumber }
        : state;
    case 'qr_requested':
      return onQrRequested(state, event.now);
    case 'mac_checked':
      if (state.kind !== 'verifying') return state;
      return event.ok
        ? { kind: 'claiming', approval: state.approval }
        : { kind: 'failed', failure: { kind: 'mac_mismatch' } };
    case 'claimed':
      return state.kind === 'claiming' ? { kind: 'done', deviceId: event.deviceId } : state;
    case 'claim_failed':
      return state.kind === 'claiming'
        ? { kind: 'failed', failure: { kind: 'claim_failed', message: event.message } }
        : state;
    case 'channel_closed':
      return isSettled(state) ? state : { kind: 'failed', failure: { kind: 'connection_lost' } };
    default: {
      const missing: never = event;
      throw new Error(`Unhandled link event: ${JSON.stringify(missing)}`);
    }
  }
}
