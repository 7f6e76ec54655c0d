import {
  APP_REQUEST_HEADER,
  APP_REQUEST_HEADER_VALUE,
  type ClientApp,
  type ErrorPayload,
  type RpcMethod,
  type RpcParams,
  type RpcResult,
  SESSION_COOKIE,
  type ServerFrame,
} from '@latch/protocol';
import { ApiError } from '../api';
import { type DeviceKey, type DeviceSigner, generateDeviceKey, signMessage } from '../deviceKey';
import { Connection } from '../engine/connection';
import { isTerminal } from '../engine/connectionState';
import type { SocketTransport } from '../engine/transport';
import { CookieJar } from './cookieJar';
import { type NodeSocketOptions, nodeHttpTransport, nodeSocketTransport } from './nodeTransport';

/**
 * A device without a browser, for integration tests, the CLI and the e2e harness (ENG-14): a
 * non-extractable P-256 key made with Node's WebCrypto, a cookie jar, and the engine's own
 * {@link Connection} for the socket. What it adds is only what tests want to look at.
 */
export class HeadlessDevice implements DeviceSigner {
  readonly cookies = new CookieJar();
  readonly publicKey: string;

  private constructor(
    readonly baseUrl: string,
    readonly app: ClientApp,
    private readonly key: DeviceKey,
  ) {
    this.publicKey = key.publicKey;
  }

  static async create(baseUrl: string, app: ClientApp): Promise<HeadlessDevice> {
    return new HeadlessDevice(baseUrl, app, await generateDeviceKey());
  }

  /** The same device (key and cookies) talking to another node of the cluster. */
  at(baseUrl: string): HeadlessDevice {
    const twin = new HeadlessDevice(baseUrl, this.app, this.key);
    for (const [k, v] of this.cookies) twin.cookies.set(k, v);
    return twin;
  }

  sign(message: string): Promise<string> {
    return signMessage(this.key, message);
  }

  get cookieHeader(): string {
    return this.cookies.header() ?? '';
  }

  /** The session cookie for this app, as the browser would hold it. */
  get sessionCookie(): string | undefined {
    return this.cookies.get(SESSION_COOKIE[this.app]);
  }

  /** The engine's transports for this device: its cookie jar, its origin. */
  sockets(options: NodeSocketOptions = {}): SocketTransport {
    return nodeSocketTransport(this.cookies, this.baseUrl, options);
  }

  httpTransport() {
    return nodeHttpTransport(this.cookies, this.baseUrl);
  }

  /**
   * Any HTTP request, answered with its headers (tests read them); the engine's own requests go
   * through {@link httpTransport}. Cookies are kept as a browser keeps them.
   */
  async http(method: 'GET' | 'POST', path: string, body?: unknown) {
    const send = () =>
      fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.cookies.size ? { cookie: this.cookieHeader } : {}),
          origin: this.baseUrl,
          // What the apps' fetch wrapper sends on every request (SEC-3).
          [APP_REQUEST_HEADER]: APP_REQUEST_HEADER_VALUE,
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
    // A kept-alive connection to a server that has since restarted fails on first use; browsers
    // send an idempotent request again on a new connection, and so does this device.
    const res = await send().catch((err: unknown) => {
      if (method === 'GET' && isStaleConnection(err)) return send();
      throw err;
    });
    this.cookies.absorb(res.headers.getSetCookie());
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as unknown) : null };
  }

  /** Opens /v1/ws and completes the proof-of-possession handshake. */
  async connect(): Promise<DeviceSocket> {
    const socket = new DeviceSocket(this);
    await socket.ready;
    return socket;
  }
}

type ReadyFrame = Extract<ServerFrame, { type: 'ready' }>;
type Waiter = { pred: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void };

/** A request's answer as a test inspects it: the result, or the server's error payload. */
export interface RpcAnswer {
  ok: boolean;
  result?: unknown;
  error?: ErrorPayload;
}

/** A refused request: `code` is the server's error id, `details` its whole error payload. */
export class RpcFailure extends Error {
  constructor(
    readonly code: ErrorPayload['code'],
    readonly details: ErrorPayload,
  ) {
    super(details.message);
    this.name = 'RpcFailure';
  }
}

/**
 * One authenticated socket of a {@link HeadlessDevice}: the engine's {@link Connection} with
 * reconnects off, so a test sees each socket's fate (`closed` with its code and reason), and every
 * server event kept in `frames`.
 */
export class DeviceSocket {
  readonly connection: Connection;
  readonly frames: ServerFrame[] = [];
  /** Every text frame exactly as it arrived, for tests that check what is on the wire. */
  readonly wire: string[] = [];
  readonly ready: Promise<ReadyFrame>;
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly waiters = new Set<Waiter>();
  private socketOpen = false;

  constructor(readonly device: HeadlessDevice) {
    let resolveClosed: (c: { code: number; reason: string }) => void = () => undefined;
    this.closed = new Promise((resolve) => {
      resolveClosed = resolve;
    });
    const inner = device.sockets();
    // The engine sees the same events; this only notes the socket's own fate for the test.
    const sockets: SocketTransport = {
      open: (url, handlers) =>
        inner.open(url, {
          onOpen: () => {
            this.socketOpen = true;
            handlers.onOpen();
          },
          onMessage: (text) => {
            this.wire.push(text);
            handlers.onMessage(text);
          },
          onClose: (code, reason) => {
            this.socketOpen = false;
            handlers.onClose(code, reason);
            resolveClosed({ code, reason });
          },
        }),
    };
    this.connection = new Connection({
      app: device.app,
      signer: device,
      origin: device.baseUrl,
      sockets,
      reconnect: false,
    });
    this.connection.onEvent((frame) => this.record(frame));
    this.ready = this.whenReady();
    this.connection.start();
  }

  private whenReady(): Promise<ReadyFrame> {
    return new Promise((resolve, reject) => {
      const unsubscribe = this.connection.subscribe(() => {
        const state = this.connection.state;
        if (state.kind === 'ready') {
          unsubscribe();
          const { account, deviceId, serverTime } = state;
          const frame: ReadyFrame = { type: 'ready', account, deviceId, serverTime };
          this.record(frame);
          resolve(frame);
        } else if (isTerminal(state)) {
          unsubscribe();
          void this.closed.then((c) => reject(new Error(`closed ${c.code} ${c.reason}`)));
        }
      });
    });
  }

  get isOpen(): boolean {
    return this.socketOpen;
  }

  /** Sends an RPC; resolves with the result or rejects with an {@link RpcFailure} (or a network ApiError). */
  async request<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<RpcResult<M>> {
    try {
      return await this.connection.request(method, params);
    } catch (err) {
      throw refusalOf(err) ?? err;
    }
  }

  /**
   * Sends any RPC, typed or not (tests send bad input on purpose), and resolves with its answer,
   * refused or not; the result is not parsed. A lost socket still rejects.
   */
  async raw(method: string, params: unknown): Promise<RpcAnswer> {
    try {
      return { ok: true, result: await this.connection.requestUnchecked(method, params) };
    } catch (err) {
      const refusal = refusalOf(err);
      if (!refusal) throw err;
      return { ok: false, error: refusal.details };
    }
  }

  /** Resolves with the first frame (already received or future) that matches. */
  waitFor<T extends ServerFrame['type']>(
    type: T,
    pred: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true,
  ) {
    const match = (f: ServerFrame): f is Extract<ServerFrame, { type: T }> =>
      f.type === type && pred(f as Extract<ServerFrame, { type: T }>);
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<Extract<ServerFrame, { type: T }>>((resolve) => {
      this.waiters.add({ pred: match, resolve: (f) => resolve(f as Extract<ServerFrame, { type: T }>) });
    });
  }

  close(): void {
    this.connection.close();
  }

  private record(frame: ServerFrame): void {
    this.frames.push(frame);
    for (const w of this.waiters) {
      if (w.pred(frame)) {
        this.waiters.delete(w);
        w.resolve(frame);
      }
    }
  }
}

/** The server's refusal inside an engine error (status 400 over the socket, 401 once logged out). */
function refusalOf(err: unknown): RpcFailure | null {
  if (!(err instanceof ApiError) || err.code === 'network') return null;
  const payload: ErrorPayload = {
    code: err.code,
    message: err.message,
    ...(err.details === undefined ? {} : { details: err.details }),
    ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
  };
  return new RpcFailure(err.code, payload);
}

function isStaleConnection(err: unknown): boolean {
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  return cause?.code === 'UND_ERR_SOCKET';
}
