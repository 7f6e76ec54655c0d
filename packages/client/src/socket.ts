import {
  type AccountView,
  authMessage,
  type ClientApp,
  CloseCode,
  type ErrorPayload,
  LogoutReason,
  type RpcMethod,
  type RpcParams,
  type RpcResult,
  rpcMethods,
  type ServerEventFrame,
  ServerFrame,
} from '@latch/protocol';
import { ApiError } from './api';
import { type DeviceKey, randomBase64Url, signMessage } from './deviceKey';
import { Heartbeat } from './heartbeat';

/** Where the connection is; the UI renders each state. */
export type SocketState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'ready'; account: AccountView; deviceId: string }
  | { kind: 'reconnecting'; attempt: number; inMs: number }
  /** Terminal: the device was logged out (or its session is gone). The app must wipe. */
  | { kind: 'logged_out'; reason: LogoutReason | 'unauthorized' }
  /** Terminal: closed by the app. */
  | { kind: 'closed' };

export interface SocketOptions {
  app: ClientApp;
  key: DeviceKey;
  /** Base URL, default: this page's origin. */
  origin?: string;
  onState: (state: SocketState) => void;
  onEvent: (frame: ServerEventFrame) => void;
}

const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000, 15000];
const REQUEST_TIMEOUT_MS = 15_000;
/** A connection that has not finished its handshake by then is given up and tried again. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  method: RpcMethod;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The authenticated connection of a device: proof-of-possession handshake on every connect,
 * typed requests, server events, and reconnect with backoff until the server says "logged out".
 */
export class LatchSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private state: SocketState = { kind: 'connecting', attempt: 0 };
  private readonly pending = new Map<string, Pending>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly readyWaiters: Array<() => void> = [];
  private handshakeTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly heartbeat = new Heartbeat({
    sendPing: () => this.sendRaw({ type: 'ping' }),
    onDead: () => this.dropDead('No answer to ping'),
  });

  constructor(private readonly opts: SocketOptions) {}

  get current(): SocketState {
    return this.state;
  }

  start(): void {
    this.connect();
    addEventListener('online', this.onOnline);
    addEventListener('offline', this.onOffline);
  }

  /** Closes for good (logout, page teardown). */
  close(): void {
    removeEventListener('online', this.onOnline);
    removeEventListener('offline', this.onOffline);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.stopWatching();
    this.setState({ kind: 'closed' });
    this.ws?.close(CloseCode.normal);
    this.failPending(new ApiError(0, { code: 'network', message: 'Connection closed.' }));
  }

  /** Sends a request once the connection is ready, and resolves with its validated result. */
  async request<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<RpcResult<M>> {
    await this.whenReady();
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      throw new ApiError(0, { code: 'network', message: 'Not connected.' });
    }
    const id = randomBase64Url(12);
    const result = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ApiError(0, { code: 'network', message: 'The server did not answer in time.' }));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, method, timer });
      ws.send(JSON.stringify({ type: 'req', id, method, params }));
    });
    return rpcMethods[method].result.parse(result) as RpcResult<M>;
  }

  private whenReady(): Promise<void> {
    const s = this.state.kind;
    if (s === 'ready') return Promise.resolve();
    if (s === 'logged_out' || s === 'closed') {
      return Promise.reject(new ApiError(401, { code: 'unauthorized', message: 'Logged out.' }));
    }
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** The browser lost its network: find out now whether the socket is gone too. */
  private readonly onOffline = () => this.heartbeat.probe();

  private readonly onOnline = () => {
    if (this.state.kind === 'reconnecting') {
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.connect();
    }
  };

  private setState(state: SocketState): void {
    this.state = state;
    this.opts.onState(state);
    if (state.kind === 'ready') for (const w of this.readyWaiters.splice(0)) w();
  }

  private connect(): void {
    const base = (this.opts.origin ?? location.origin).replace(/^http/, 'ws');
    this.setState({ kind: 'connecting', attempt: this.attempt });
    const ws = new WebSocket(`${base}/v1/ws?client=${this.opts.app}`);
    this.ws = ws;
    ws.onmessage = (ev) => {
      this.heartbeat.heard();
      void this.onMessage(ws, ev.data);
    };
    ws.onclose = (ev) => this.onClose(ws, ev.code, ev.reason);
    this.handshakeTimer = setTimeout(() => this.dropDead('Handshake timed out'), HANDSHAKE_TIMEOUT_MS);
  }

  private sendRaw(frame: { type: 'ping' }): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  /**
   * A socket that stopped answering: its close event could take minutes on a cut network, so it is
   * treated as closed now and the usual reconnect with backoff starts.
   */
  private dropDead(why: string): void {
    const ws = this.ws;
    if (!ws) return;
    ws.onmessage = null;
    ws.onclose = null;
    ws.close();
    this.onClose(ws, CloseCode.goingAway, why);
  }

  private stopWatching(): void {
    this.heartbeat.stop();
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
  }

  private async onMessage(ws: WebSocket, data: unknown): Promise<void> {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = ServerFrame.safeParse(json);
    if (!parsed.success) return;
    const frame = parsed.data;
    switch (frame.type) {
      case 'challenge': {
        const signature = await signMessage(this.opts.key, authMessage(frame.nonce));
        ws.send(JSON.stringify({ type: 'auth', signature }));
        return;
      }
      case 'ready':
        this.attempt = 0;
        if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
        this.handshakeTimer = null;
        this.heartbeat.start();
        this.setState({ kind: 'ready', account: frame.account, deviceId: frame.deviceId });
        return;
      case 'res': {
        const p = this.pending.get(frame.id);
        if (!p) return;
        this.pending.delete(frame.id);
        clearTimeout(p.timer);
        if (frame.ok) p.resolve(frame.result);
        else p.reject(new ApiError(400, frame.error ?? errorFallback));
        return;
      }
      case 'pong':
        return;
      case 'logged_out':
        this.setState({ kind: 'logged_out', reason: frame.reason });
        this.opts.onEvent(frame);
        return;
      default:
        this.opts.onEvent(frame);
    }
  }

  private onClose(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.ws) return;
    this.stopWatching();
    this.failPending(new ApiError(0, { code: 'network', message: 'Connection lost.' }));
    const kind = this.state.kind;
    if (kind === 'closed' || kind === 'logged_out') return;
    if (code === CloseCode.loggedOut || code === CloseCode.unauthorized) {
      // 4403's reason names why the device was logged out; 4401 means no valid session at all.
      const why = LogoutReason.safeParse(reason);
      this.setState({ kind: 'logged_out', reason: why.success ? why.data : 'unauthorized' });
      return;
    }
    const inMs = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]!;
    this.attempt += 1;
    this.setState({ kind: 'reconnecting', attempt: this.attempt, inMs });
    this.retryTimer = setTimeout(() => this.connect(), inMs);
  }

  private failPending(err: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
      this.pending.delete(id);
    }
  }
}

const errorFallback: ErrorPayload = { code: 'internal', message: 'Something went wrong.' };
