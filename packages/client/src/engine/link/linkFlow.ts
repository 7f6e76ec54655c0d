import { ApiError } from '../../api';
import type { DeviceSigner } from '../../deviceKey';
import { randomBase64Url } from '../../deviceKey';
import type { Listener } from '../store';
import type { HttpTransport, SocketTransport } from '../transport';
import { type LinkChannel, openLinkChannel } from './linkChannel';
import { approvalMacMatches, claimLinkedDevice, normalizeLinkCode } from './linkClaim';
import { initialLinkState, type LinkEvent, type LinkState, linkFlowReducer } from './linkFlowReducer';

/** What a QR code carries for the phone that scans it (the link secret never goes to the server). */
export interface ShownQr {
  ref: string;
  devicePublicKey: string;
  /** 16 random bytes, base64url: the MAC key of the approval (LNK-9). */
  linkSecret: string;
}

export interface LinkFlowSnapshot {
  state: LinkState;
  /** The QR to draw, only while a live ref is shown. */
  qr: ShownQr | null;
}

/** How an attempt begins: on the QR, or on the phone-number form (optionally with a number to send at once). */
export interface LinkStart {
  phoneForm: boolean;
  phoneNumber: string | null;
}

export const QR_START: LinkStart = { phoneForm: false, phoneNumber: null };

export interface LinkFlowOptions {
  /** The server's http(s) origin, from configuration (a page passes its own origin). */
  origin: string;
  sockets: SocketTransport;
  http: HttpTransport;
  /** The computer's fresh key: the QR carries its public half and it signs the claim (LNK-8). */
  signer: Promise<DeviceSigner>;
  keepSignedIn: boolean;
  start?: LinkStart;
  /** Runs after a successful claim and before `done` (a page keeps its key here); a throw fails the claim. */
  onClaimed?: (deviceId: string) => Promise<void>;
}

/**
 * One link attempt as an observable object (ENG-15): the link channel's frames, the expiry timers,
 * the MAC check and the signed claim, with `subscribe`/`getSnapshot` for a page
 * (`useSyncExternalStore`) and for {@link linkComputer}. A new attempt is a new flow.
 */
export interface LinkFlow {
  getSnapshot: () => LinkFlowSnapshot;
  subscribe: (listener: Listener) => () => void;
  openPhoneForm: () => void;
  submitPhone: (phoneNumber: string) => void;
  backToQr: () => void;
  /** Ends the attempt: closes the channel and stops every timer. Nothing is dispatched after it. */
  close: () => void;
}

/** A ref or code is dropped this long after its stated expiry if the server has not replaced it. */
const EXPIRY_GRACE_MS = 750;

export function createLinkFlow(opts: LinkFlowOptions): LinkFlow {
  const linkSecret = randomBase64Url(16);
  const listeners = new Set<Listener>();
  let snapshot: LinkFlowSnapshot = { state: initialLinkState, qr: null };
  let signer: DeviceSigner | null = null;
  let channel: LinkChannel | null = null;
  let linkCode: string | null = null;
  let byPhone = false;
  let closed = false;
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;

  const dispatch = (event: LinkEvent) => {
    if (closed) return;
    const state = linkFlowReducer(snapshot.state, event);
    if (state === snapshot.state) return;
    snapshot = { state, qr: qrOf(state, snapshot.qr) };
    scheduleExpiry(state);
    if (state.kind === 'verifying') void verify(state.approval.account.identityKey, state.approval.mac);
    else if (state.kind === 'claiming') void claim(state.approval.claimCode);
    else if (state.kind === 'done') channel?.close();
    for (const listener of [...listeners]) listener();
  };
  const qrOf = (state: LinkState, previous: ShownQr | null): ShownQr | null => {
    if (state.kind !== 'showing_qr' || !signer) return null;
    if (previous?.ref === state.ref) return previous;
    return { ref: state.ref, devicePublicKey: signer.publicKey, linkSecret };
  };
  // Never leave a stale ref or code on screen when the server did not replace it in time.
  const scheduleExpiry = (state: LinkState) => {
    clearTimeout(expiryTimer);
    let event: LinkEvent;
    if (state.kind === 'showing_qr') event = { type: 'ref_timed_out', ref: state.ref };
    else if (state.kind === 'showing_code') event = { type: 'code_timed_out', code: state.code };
    else return;
    const wait = Math.max(0, state.expiresAt - Date.now()) + EXPIRY_GRACE_MS;
    expiryTimer = setTimeout(() => dispatch(event), wait);
  };
  const verify = async (identityKey: string, mac: string) => {
    if (!signer) return;
    const ok = await approvalMacMatches(signer.publicKey, identityKey, mac, linkSecret, linkCode);
    dispatch({ type: 'mac_checked', ok });
  };
  const claim = async (claimCode: string) => {
    if (!signer) return;
    try {
      const deviceId = await claimLinkedDevice(opts.http, opts.origin, signer, claimCode);
      await opts.onClaimed?.(deviceId);
      dispatch({ type: 'claimed', deviceId });
    } catch (err) {
      const message = err instanceof ApiError ? err.message : 'This computer could not be linked.';
      dispatch({ type: 'claim_failed', message });
    }
  };
  const sendPhone = (phoneNumber: string) => {
    channel?.send({ type: 'link.byPhone', phoneNumber });
    byPhone = true;
    dispatch({ type: 'phone_submitted', phoneNumber });
  };
  const open = (key: DeviceSigner) => {
    signer = key;
    dispatch({ type: 'key_ready' });
    if (opts.start?.phoneForm) dispatch({ type: 'phone_form_opened' });
    let pendingNumber = opts.start?.phoneNumber ?? null;
    const opened = openLinkChannel(opts.sockets, opts.origin, {
      onOpen: () =>
        opened.send({ type: 'link.start', publicKey: key.publicKey, keepSignedIn: opts.keepSignedIn }),
      onFrame: (frame) => {
        if (frame.type === 'link.code') linkCode = normalizeLinkCode(frame.code);
        dispatch({ type: 'frame', frame, now: Date.now() });
        if (pendingNumber !== null) sendPhone(pendingNumber);
        pendingNumber = null;
      },
      onClose: () => dispatch({ type: 'channel_closed' }),
    });
    channel = opened;
  };

  opts.signer.then(
    (key) => {
      if (!closed) open(key);
    },
    () => dispatch({ type: 'key_failed' }),
  );

  return {
    getSnapshot: () => snapshot,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    openPhoneForm: () => dispatch({ type: 'phone_form_opened' }),
    submitPhone: (phoneNumber) => {
      if (channel) sendPhone(phoneNumber);
    },
    backToQr: () => {
      if (byPhone) channel?.send({ type: 'link.useQr' });
      byPhone = false;
      linkCode = null;
      dispatch({ type: 'qr_requested', now: Date.now() });
    },
    close: () => {
      closed = true;
      clearTimeout(expiryTimer);
      channel?.close();
    },
  };
}
