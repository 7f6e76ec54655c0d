import { authMessage, type RpcMethod, type RpcParams, SESSION_COOKIE } from '@latch/protocol';
import WebSocket from 'ws';
import { type Frame, isRecord, readFrame, stringField } from './frames';
import type { SeedDevice } from './seed';

const CONNECT_TIMEOUT_MS = 30_000;

export class RpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export interface ConnectOptions {
  timeoutMs?: number;
  /** A loopback source address (127.0.0.x): spreads many sockets over more ephemeral ports. */
  localAddress?: string;
}

export type EventHandler = (frame: Frame, receivedAt: number) => void;

type Pending = { resolve: (result: unknown) => void; reject: (err: Error) => void };

/**
 * A device socket on /v1/ws that authenticates like an app: session cookie on the upgrade, then the
 * server's nonce signed with the device key. Events go to handlers with their arrival time.
 */
export class BenchSocket {
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly pending = new Map<string, Pending>();
  private readonly handlers = new Set<EventHandler>();
  private nextId = 1;

  private constructor(
    private readonly ws: WebSocket,
    readonly device: SeedDevice,
  ) {
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        const closedWith = { code, reason: reason.toString() };
        for (const p of this.pending.values())
          p.reject(new Error(`socket closed ${code} ${closedWith.reason}`));
        this.pending.clear();
        resolve(closedWith);
      });
    });
  }

  /** Opens the socket and resolves once the server said `ready` (the handshake is part of what is timed). */
  static connect(baseUrl: string, device: SeedDevice, opts: ConnectOptions = {}): Promise<BenchSocket> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/v1/ws?client=${device.app}`, {
      headers: { cookie: `${SESSION_COOKIE[device.app]}=${device.cookie}`, origin: baseUrl },
      perMessageDeflate: false,
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
    });
    const socket = new BenchSocket(ws, device);
    return new Promise((resolve, reject) => {
      let authenticated = false;
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`no ready within ${opts.timeoutMs ?? CONNECT_TIMEOUT_MS} ms`));
      }, opts.timeoutMs ?? CONNECT_TIMEOUT_MS);
      ws.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      void socket.closed.then(({ code, reason }) => {
        clearTimeout(timer);
        if (!authenticated) reject(new Error(`closed before ready: ${code} ${reason}`));
      });
      ws.on('message', (data) => {
        const receivedAt = performance.now();
        const frame = readFrame(data);
        if (!frame) return;
        if (frame.type === 'challenge') {
          const nonce = stringField(frame, 'nonce') ?? '';
          ws.send(JSON.stringify({ type: 'auth', signature: device.key.sign(authMessage(nonce)) }));
        } else if (frame.type === 'ready') {
          authenticated = true;
          clearTimeout(timer);
          resolve(socket);
        } else if (frame.type === 'res') {
          socket.settle(frame);
        } else {
          for (const handler of socket.handlers) handler(frame, receivedAt);
        }
      });
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Adds an event handler; returns its remover. */
  onEvent(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Resolves with the first event of this type (within `timeoutMs`). */
  nextEvent(type: string, timeoutMs: number): Promise<{ frame: Frame; receivedAt: number }> {
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

  /** Sends an RPC; resolves with its result, rejects with an {@link RpcError}, or when the socket closes. */
  request<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<unknown> {
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      if (!this.isOpen) return reject(new Error('socket is not open'));
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ type: 'req', id, method, params }));
    });
  }

  private settle(frame: Frame): void {
    const id = stringField(frame, 'id') ?? '';
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (frame.ok === true) pending.resolve(frame.result);
    else {
      const error = isRecord(frame.error) ? frame.error : {};
      pending.reject(
        new RpcError(stringField(error, 'code') ?? 'unknown', stringField(error, 'message') ?? ''),
      );
    }
  }

  close(): void {
    this.ws.close(1000);
  }

  terminate(): void {
    this.ws.terminate();
  }
}
