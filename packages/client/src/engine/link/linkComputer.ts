import { claimMessage, LinkClaimResponse, LinkServerFrame, linkMacMessage } from '@latch/protocol';
import { requestJsonWith } from '../../api';
import { type DeviceSigner, macKeyFrom, randomBase64Url, verifyMac } from '../../deviceKey';
import { type HttpTransport, parseJsonText, type SocketTransport, webSocketUrl } from '../transport';
import { initialLinkState, type LinkEvent, type LinkState, linkFlowReducer } from './linkFlowReducer';

/** What a QR code carries for the phone that scans it (the link secret never goes to the server). */
export interface ShownQr {
  ref: string;
  devicePublicKey: string;
  /** 16 random bytes, base64url: the MAC key of the approval (LNK-9). */
  linkSecret: string;
}

export interface LinkComputerOptions {
  /** The server's http(s) origin, from configuration. */
  origin: string;
  sockets: SocketTransport;
  http: HttpTransport;
  /** The computer's fresh key: the QR carries its public half and it signs the claim (LNK-8). */
  signer: DeviceSigner;
  keepSignedIn: boolean;
  /** Called with each QR the page would show (a rotated ref gives a new one). */
  onQr: (qr: ShownQr) => void;
  /** Every state the flow passes through (the bench times them). */
  onState?: (state: LinkState) => void;
  /** The whole attempt fails after this long (default 30 s). */
  timeoutMs?: number;
  /** Gives up at once (e.g. the phone's approval was refused); rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** A link attempt that ended anywhere but `done`. */
export class LinkFailedError extends Error {
  constructor(readonly state: LinkState) {
    super(`Linking failed: ${JSON.stringify(state.kind === 'failed' ? state.failure : state.kind)}`);
    this.name = 'LinkFailedError';
  }
}

/**
 * LNK-9: the approval is trusted only if its MAC was made with the secret this computer showed in
 * its QR. (The approval's signature is over the linkId, which the computer never learns; the server
 * checks that one, LNK-7.)
 */
export async function approvalMacMatches(
  devicePublicKey: string,
  identityKey: string,
  mac: string,
  linkSecret: string,
): Promise<boolean> {
  try {
    return await verifyMac(
      macKeyFrom({ secret: linkSecret }),
      linkMacMessage(devicePublicKey, identityKey),
      mac,
    );
  } catch {
    return false; // a MAC WebCrypto refuses is simply not a match
  }
}

/**
 * The computer's side of linking by QR, without pixels (ENG-11, ENG-14): the link channel's frames
 * go through {@link linkFlowReducer}, the approval's MAC is checked before the claim, and the claim
 * is signed by the QR's key. Resolves with the new device id (the session cookie is then in the
 * HTTP transport's keeping); rejects with {@link LinkFailedError} on any other end.
 */
export function linkComputer(opts: LinkComputerOptions): Promise<{ deviceId: string }> {
  const linkSecret = randomBase64Url(16);
  let state: LinkState = initialLinkState;
  return new Promise((resolve, reject) => {
    const finish = (error: Error | null, deviceId = '') => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.close(1000);
      if (error) reject(error);
      else resolve({ deviceId });
    };
    const dispatch = (event: LinkEvent) => {
      const before = state;
      state = linkFlowReducer(state, event);
      if (state === before) return;
      opts.onState?.(state);
      if (state.kind === 'showing_qr' && (before.kind !== 'showing_qr' || before.ref !== state.ref)) {
        opts.onQr({ ref: state.ref, devicePublicKey: opts.signer.publicKey, linkSecret });
      } else if (state.kind === 'verifying') void verify(state.approval);
      else if (state.kind === 'claiming') void claim(state.approval.claimCode);
      else if (state.kind === 'done') finish(null, state.deviceId);
      else if (state.kind === 'failed' || state.kind === 'expired') finish(new LinkFailedError(state));
    };
    const verify = async (approval: Extract<LinkServerFrame, { type: 'link.approved' }>) => {
      const ok = await approvalMacMatches(
        opts.signer.publicKey,
        approval.account.identityKey,
        approval.mac,
        linkSecret,
      );
      dispatch({ type: 'mac_checked', ok });
    };
    const claim = async (claimCode: string) => {
      try {
        const signature = await opts.signer.sign(claimMessage(claimCode));
        const url = `${opts.origin}/v1/link/claim`;
        const { deviceId } = await requestJsonWith(opts.http, 'POST', url, LinkClaimResponse, {
          claimCode,
          signature,
        });
        dispatch({ type: 'claimed', deviceId });
      } catch (err) {
        dispatch({ type: 'claim_failed', message: err instanceof Error ? err.message : String(err) });
      }
    };
    const timer = setTimeout(
      () => finish(new LinkFailedError(state)),
      opts.timeoutMs ?? DEFAULT_LINK_TIMEOUT_MS,
    );
    const onAbort = () => finish(toError(opts.signal?.reason));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    dispatch({ type: 'key_ready' });
    const socket = opts.sockets.open(webSocketUrl(opts.origin, '/v1/link'), {
      onOpen: () =>
        socket.send(
          JSON.stringify({
            type: 'link.start',
            publicKey: opts.signer.publicKey,
            keepSignedIn: opts.keepSignedIn,
          }),
        ),
      onMessage: (text) => {
        const frame = LinkServerFrame.safeParse(parseJsonText(text));
        if (frame.success) dispatch({ type: 'frame', frame: frame.data, now: Date.now() });
      },
      onClose: () => dispatch({ type: 'channel_closed' }),
    });
  });
}

const DEFAULT_LINK_TIMEOUT_MS = 30_000;

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error('Linking was cancelled.');
}
