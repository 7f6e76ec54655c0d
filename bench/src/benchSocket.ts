import { Connection } from '@latch/client';
import { CookieJar, nodeSocketTransport } from '@latch/client/node';
import {
  type RpcMethod,
  type RpcParams,
  type RpcResult,
  SESSION_COOKIE,
  type ServerEventFrame,
} from '@latch/protocol';
import type { SeedDevice } from './seed';

const CONNECT_TIMEOUT_MS = 30_000;
/** A request under load may wait long for its answer; the measurement, not a timeout, judges it. */
const REQUEST_TIMEOUT_MS = 120_000;

export interface ConnectOptions {
  timeoutMs?: number;
  /** A loopback source address (127.0.0.x): spreads many sockets over more ephemeral ports. */
  localAddress?: string;
}

export type EventHandler = (frame: ServerEventFrame, receivedAt: number) => void;

/**
 * A device socket on /v1/ws: the client engine's {@link Connection} over the Node transport (the
 * same handshake and requests as the apps, ENG-14), one socket each (no reconnects) and without the
 * heartbeat, so an idle socket costs the server exactly what an idle socket costs. Events go to
 * handlers with their arrival time.
 */
export class BenchSocket {
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly handlers = new Set<EventHandler>();
  private open = false;

  private constructor(
    private readonly connection: Connection,
    readonly device: SeedDevice,
    closed: Promise<{ code: number; reason: string }>,
  ) {
    this.closed = closed;
    connection.onEvent((frame) => {
      const receivedAt = performance.now();
      for (const handler of this.handlers) handler(frame, receivedAt);
    });
  }

  /** Opens the socket and resolves once the server said `ready` (the handshake is part of what is timed). */
  static connect(baseUrl: string, device: SeedDevice, opts: ConnectOptions = {}): Promise<BenchSocket> {
    const jar = new CookieJar();
    jar.set(SESSION_COOKIE[device.app], device.cookie);
    const inner = nodeSocketTransport(jar, baseUrl, {
      perMessageDeflate: false,
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
    });
    let socket: BenchSocket | null = null;
    let closedWith: (c: { code: number; reason: string }) => void = () => undefined;
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      closedWith = resolve;
    });
    const connection = new Connection({
      app: device.app,
      signer: device.key,
      origin: baseUrl,
      sockets: {
        open: (url, handlers) =>
          inner.open(url, {
            ...handlers,
            onOpen: () => {
              if (socket) socket.open = true;
              handlers.onOpen();
            },
            onClose: (code, reason) => {
              if (socket) socket.open = false;
              handlers.onClose(code, reason);
              closedWith({ code, reason });
            },
          }),
      },
      reconnect: false,
      heartbeat: false,
      timing: {
        handshakeTimeoutMs: opts.timeoutMs ?? CONNECT_TIMEOUT_MS,
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
      },
    });
    socket = new BenchSocket(connection, device, closed);
    const made = socket;
    return new Promise((resolve, reject) => {
      const unsubscribe = connection.subscribe(() => {
        const kind = connection.state.kind;
        if (kind === 'ready') {
          unsubscribe();
          resolve(made);
        } else if (kind === 'closed' || kind === 'logged_out') {
          unsubscribe();
          void closed.then(({ code, reason }) => reject(new Error(`closed before ready: ${code} ${reason}`)));
        }
      });
      connection.start();
    });
  }

  get isOpen(): boolean {
    return this.open && this.connection.state.kind === 'ready';
  }

  /** Adds an event handler; returns its remover. */
  onEvent(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Resolves with the first event of this type (within `timeoutMs`). */
  nextEvent(type: string, timeoutMs: number): Promise<{ frame: ServerEventFrame; receivedAt: number }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        remove();
        reject(new Error(`no ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      const remove = this.onEvent((frame, receivedAt) => {
        if (frame.type !== type) return;
        clearTimeout(timer);
        remove();
        resolve({ frame, receivedAt });
      });
    });
  }

  /** Sends an RPC; resolves with its validated result, rejects with the engine's ApiError. */
  request<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<RpcResult<M>> {
    return this.connection.request(method, params);
  }

  close(): void {
    this.connection.close();
  }

  /** After a close that got no answer: the engine has already let the socket go. */
  terminate(): void {
    this.connection.close();
  }
}
