import type { DeviceSigner } from '../../deviceKey';
import type { HttpTransport, SocketTransport } from '../transport';
import { createLinkFlow, type ShownQr } from './linkFlow';
import type { LinkState } from './linkFlowReducer';

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
 * The computer's side of linking by QR, without pixels (ENG-11, ENG-14): the same {@link createLinkFlow}
 * the web's QR page renders, watched to its end. Resolves with the new device id (the session cookie
 * is then in the HTTP transport's keeping); rejects with {@link LinkFailedError} on any other end.
 */
export function linkComputer(opts: LinkComputerOptions): Promise<{ deviceId: string }> {
  const flow = createLinkFlow({
    origin: opts.origin,
    sockets: opts.sockets,
    http: opts.http,
    signer: Promise.resolve(opts.signer),
    keepSignedIn: opts.keepSignedIn,
  });
  return new Promise((resolve, reject) => {
    let shown: ShownQr | null = null;
    const finish = (error: Error | null, deviceId = '') => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      unsubscribe();
      flow.close();
      if (error) reject(error);
      else resolve({ deviceId });
    };
    const unsubscribe = flow.subscribe(() => {
      const { state, qr } = flow.getSnapshot();
      opts.onState?.(state);
      if (qr && qr !== shown) opts.onQr(qr);
      shown = qr ?? shown;
      if (state.kind === 'done') finish(null, state.deviceId);
      else if (state.kind === 'failed' || state.kind === 'expired') finish(new LinkFailedError(state));
    });
    const timer = setTimeout(
      () => finish(new LinkFailedError(flow.getSnapshot().state)),
      opts.timeoutMs ?? DEFAULT_LINK_TIMEOUT_MS,
    );
    const onAbort = () => finish(toError(opts.signal?.reason));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const DEFAULT_LINK_TIMEOUT_MS = 30_000;

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error('Linking was cancelled.');
}
