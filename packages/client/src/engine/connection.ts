import {
  authMessage,
  type ClientApp,
  CloseCode,
  type LogoutReason,
  LogoutReason as LogoutReasonSchema,
  type RpcMethod,
  type RpcParams,
  type RpcResult,
  rpcMethods,
  type ServerEventFrame,
  ServerFrame,
} from '@latch/protocol';
import { ApiError } from '../api';
import { type DeviceSigner, randomBase64Url } from '../deviceKey';
import { backoffDelay } from './backoff';
import {
  type ConnectionState,
  type ConnectionTiming,
  DEFAULT_CONNECTION_TIMING,
  isTerminal,
} from './connectionState';
import { Heartbeat } from './heartbeat';
import { PendingRequests } from './pendingRequests';
import { sessionGone } from './sessionCheck';
import { Store } from './store';
import {
  alwaysOnline,
  type HttpTransport,
  type NetworkMonitor,
  type SocketTransport,
  type TransportSocket,
  webSocketUrl,
} from './transport';

export interface ConnectionOptions {
  app: ClientApp;
  signer: DeviceSigner;
  /** The server's http(s) origin, from configuration. */
  origin: string;
  sockets: SocketTransport;
  /** Lets the connection ask whether the session still exists when reconnects keep failing. */
  http?: HttpTransport;
  network?: NetworkMonitor;
  timing?: Partial<ConnectionTiming>;
  /** Jitter source (tests pass a fixed one). */
  random?: () => number;
  /**
   * False for tools that test or measure one socket (the headless device, the bench): a lost
   * socket ends the connection (`closed`) instead of being replaced. Apps keep the default, true.
   */
  reconnect?: boolean;
  /**
   * False only for the bench's load generator: its idle sockets must stay idle, since the server's
   * cost of a quiet socket is what it measures. Everything else keeps the heartbeat (ENG-4).
   */
  heartbeat?: boolean;
}

/** Our close code for a socket we gave up on (no `ready` in time, or a missed heartbeat). */
const GAVE_UP = 4000;

/** One connect attempt; frames and closes of an older attempt are ignored. */
interface Attempt {
  socket: TransportSocket | null;
}

/**
 * The authenticated connection of a device: proof-of-possession handshake on every connect (ENG-2),
 * typed requests with timeouts (ENG-5), the server's event stream, a heartbeat (ENG-4) and
 * reconnects with backoff and jitter (ENG-3) until it is closed or the device is logged out (ENG-6).
 */
export class Connection {
  private readonly store = new Store<ConnectionState>({ kind: 'connecting', attempt: 0 });
  readonly subscribe = this.store.subscribe;
  readonly getSnapshot = this.store.getSnapshot;
  private readonly timing: ConnectionTiming;
  private readonly network: NetworkMonitor;
  private readonly pending = new PendingRequests();
  private readonly heartbeat: Heartbeat;
  private readonly eventListeners = new Set<(frame: ServerEventFrame) => void>();
  private readonly readyWaiters = new Set<() => void>();
  private current: Attempt | null = null;
  private attempt = 0;
  private started = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private handshakeTimer: ReturnType<typeof setTimeout> | null = null;
  private stopWatchingNetwork: (() => void) | null = null;
  private checkingSession = false;

  constructor(private readonly opts: ConnectionOptions) {
    this.timing = { ...DEFAULT_CONNECTION_TIMING, ...opts.timing };
    this.network = opts.network ?? alwaysOnline;
    this.heartbeat = new Heartbeat(
      this.timing.heartbeatIdleMs,
      this.timing.heartbeatTimeoutMs,
      () => this.current?.socket?.send(JSON.stringify({ type: 'ping' })),
      () => this.giveUp(),
    );
  }

  get state(): ConnectionState {
    return this.store.getSnapshot();
  }

  start(): void {
    if (this.started || isTerminal(this.state)) return;
    this.started = true;
    this.stopWatchingNetwork = this.network.subscribe((online) => this.onNetwork(online));
    if (this.network.isOnline()) this.connect();
    else this.setState({ kind: 'offline' });
  }

  /** Closes for good (page teardown, engine disposed). */
  close(): void {
    this.end({ kind: 'closed' });
  }

  /** Terminal: the device is logged out (a frame, a close code, or a 401 seen over HTTP). */
  markLoggedOut(reason: LogoutReason | 'unauthorized'): void {
    this.end({ kind: 'logged_out', reason });
  }

  /** Skips the backoff wait (e.g. the app came back to the foreground). */
  reconnectNow(): void {
    const kind = this.state.kind;
    if (kind === 'reconnecting' || (kind === 'offline' && this.network.isOnline())) this.connect();
  }

  /** Follows the server's events; returns the unsubscribe function. */
  onEvent(listener: (frame: ServerEventFrame) => void): () => void {
    this.eventListeners.add(listener);
    return () => {
      this.eventListeners.delete(listener);
    };
  }

  /**
   * Sends a request once the connection is ready and resolves with its validated result. The
   * timeout covers the wait for `ready` too: nothing a caller awaits can hang for ever (ENG-5).
   */
  async request<M extends RpcMethod>(
    method: M,
    params: RpcParams<M>,
    opts: { timeoutMs?: number } = {},
  ): Promise<RpcResult<M>> {
    const result = await this.requestUnchecked(method, params, opts);
    return rpcMethods[method].result.parse(result) as RpcResult<M>;
  }

  /**
   * {@link request} without the types and without parsing the result: for test tools that must
   * send what the types forbid (bad input the server has to refuse). Apps never call it.
   */
  async requestUnchecked(
    method: string,
    params: unknown,
    opts: { timeoutMs?: number } = {},
  ): Promise<unknown> {
    const deadline = Date.now() + (opts.timeoutMs ?? this.timing.requestTimeoutMs);
    await this.whenReady(deadline);
    const socket = this.current?.socket;
    if (!socket) throw new ApiError(0, { code: 'network', message: 'Not connected.' });
    const id = randomBase64Url(12);
    const answer = this.pending.wait(id, Math.max(1, deadline - Date.now()));
    socket.send(JSON.stringify({ type: 'req', id, method, params }));
    return answer;
  }

  private whenReady(deadline: number): Promise<void> {
    const state = this.state;
    if (state.kind === 'ready') return Promise.resolve();
    if (isTerminal(state)) return Promise.reject(terminalError(state));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.readyWaiters.delete(check);
          reject(new ApiError(0, { code: 'network', message: 'Not connected.' }));
        },
        Math.max(1, deadline - Date.now()),
      );
      const check = () => {
        const now = this.state;
        if (now.kind !== 'ready' && !isTerminal(now)) return;
        clearTimeout(timer);
        this.readyWaiters.delete(check);
        if (now.kind === 'ready') resolve();
        else reject(terminalError(now));
      };
      this.readyWaiters.add(check);
    });
  }

  private setState(state: ConnectionState): void {
    this.store.set(state);
    for (const waiter of [...this.readyWaiters]) waiter();
  }

  private connect(): void {
    this.clearTimers();
    const attempt: Attempt = { socket: null };
    this.current = attempt;
    this.setState({ kind: 'connecting', attempt: this.attempt });
    const url = webSocketUrl(this.opts.origin, `/v1/ws?client=${this.opts.app}`);
    attempt.socket = this.opts.sockets.open(url, {
      onOpen: () => undefined,
      onMessage: (text) => this.onMessage(attempt, text),
      onClose: (code, reason) => this.onClose(attempt, code, reason),
    });
    if (this.current !== attempt) return; // refused synchronously
    this.handshakeTimer = setTimeout(() => this.giveUp(), this.timing.handshakeTimeoutMs);
  }

  private onMessage(attempt: Attempt, text: string): void {
    if (attempt !== this.current) return;
    if (this.state.kind === 'ready') this.heard();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return;
    }
    const parsed = ServerFrame.safeParse(json);
    if (!parsed.success) return;
    const frame = parsed.data;
    switch (frame.type) {
      case 'challenge':
        void this.answerChallenge(attempt, frame.nonce);
        return;
      case 'ready':
        if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
        this.handshakeTimer = null;
        this.attempt = 0;
        this.heard();
        this.setState({
          kind: 'ready',
          account: frame.account,
          deviceId: frame.deviceId,
          serverTime: frame.serverTime,
        });
        return;
      case 'pong':
        return;
      case 'res':
        this.pending.settle(
          frame.id,
          frame.ok
            ? { ok: true, result: frame.result }
            : { ok: false, error: new ApiError(400, frame.error ?? FALLBACK_ERROR) },
        );
        return;
      case 'logged_out':
        this.markLoggedOut(frame.reason);
        this.emit(frame);
        return;
      default:
        this.emit(frame);
    }
  }

  private heard(): void {
    if (this.opts.heartbeat !== false) this.heartbeat.heard();
  }

  private async answerChallenge(attempt: Attempt, nonce: string): Promise<void> {
    const signature = await this.opts.signer.sign(authMessage(nonce));
    if (attempt === this.current) attempt.socket?.send(JSON.stringify({ type: 'auth', signature }));
  }

  private emit(frame: ServerEventFrame): void {
    for (const listener of [...this.eventListeners]) listener(frame);
  }

  private onClose(attempt: Attempt, code: number, reason: string): void {
    if (attempt !== this.current) return;
    this.current = null;
    this.lost(code, reason);
  }

  /** No `ready` in time, or the heartbeat went unanswered: drop the socket without waiting for TCP. */
  private giveUp(): void {
    const socket = this.current?.socket;
    this.current = null;
    socket?.close(GAVE_UP, 'No answer');
    this.lost(GAVE_UP, '');
  }

  private lost(code: number, reason: string): void {
    this.clearTimers();
    this.pending.failAll('Connection lost.');
    if (isTerminal(this.state)) return;
    if (code === CloseCode.loggedOut || code === CloseCode.unauthorized) {
      // 4403's reason names why the device was logged out; 4401 means no valid session at all.
      const why = LogoutReasonSchema.safeParse(reason);
      this.markLoggedOut(why.success ? why.data : 'unauthorized');
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.opts.reconnect === false) {
      this.end({ kind: 'closed' });
      return;
    }
    if (!this.network.isOnline()) {
      this.setState({ kind: 'offline' });
      return;
    }
    this.attempt += 1;
    const inMs = backoffDelay(this.attempt, this.timing.backoff, this.opts.random ?? Math.random);
    this.setState({ kind: 'reconnecting', attempt: this.attempt, inMs });
    this.retryTimer = setTimeout(() => this.connect(), inMs);
    if (this.attempt >= this.timing.sessionCheckAfterAttempts) void this.checkSession();
  }

  private onNetwork(online: boolean): void {
    const kind = this.state.kind;
    if (online && (kind === 'offline' || kind === 'reconnecting')) this.connect();
    else if (!online && kind === 'reconnecting') {
      this.clearTimers();
      this.setState({ kind: 'offline' });
    } else if (!online && kind === 'ready' && this.opts.heartbeat !== false) {
      // NET-1: the socket may already be dead; find out now rather than after the next silence.
      this.heartbeat.probe();
    }
  }

  /** Reconnects keep failing: is the session still there at all (ENG-6)? */
  private async checkSession(): Promise<void> {
    const http = this.opts.http;
    if (!http || this.checkingSession) return;
    this.checkingSession = true;
    try {
      const gone = await sessionGone(http, this.opts.origin, this.opts.app);
      if (gone && this.state.kind !== 'ready') this.markLoggedOut(gone);
    } finally {
      this.checkingSession = false;
    }
  }

  private end(state: Extract<ConnectionState, { kind: 'logged_out' | 'closed' }>): void {
    if (isTerminal(this.state)) return;
    this.clearTimers();
    this.stopWatchingNetwork?.();
    this.stopWatchingNetwork = null;
    const socket = this.current?.socket;
    this.current = null;
    socket?.close(CloseCode.normal);
    this.pending.failAll('Connection closed.');
    this.setState(state);
  }

  private clearTimers(): void {
    this.heartbeat.stop();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.retryTimer = null;
    this.handshakeTimer = null;
  }
}

const FALLBACK_ERROR = { code: 'internal', message: 'Something went wrong.' } as const;

function terminalError(state: ConnectionState): ApiError {
  return state.kind === 'logged_out'
    ? new ApiError(401, { code: 'unauthorized', message: 'Logged out.' })
    : new ApiError(0, { code: 'network', message: 'Connection closed.' });
}
