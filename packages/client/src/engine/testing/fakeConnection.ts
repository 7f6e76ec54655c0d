import type { ServerFrame } from '@latch/protocol';
import type { TransportHandlers, TransportSocket } from '../transport';

/**
 * The server's end of one in-memory socket. Frames travel as JSON text, in order, one microtask
 * later (like a network, never synchronously inside `send`). A test can freeze it (a dead network:
 * nothing arrives either way and no close is reported) or drop it (the server closes).
 */
export class FakeConnection {
  /** Frames the client sent, parsed from JSON. */
  readonly received: unknown[] = [];
  authed = false;
  nonce = '';
  frozen = false;
  closed = false;
  /** The client called close(): a browser delivers nothing after that. */
  private closedByClient = false;

  constructor(
    readonly url: string,
    private readonly handlers: TransportHandlers,
    private readonly onClientFrame: (conn: FakeConnection, frame: unknown) => void,
  ) {}

  /** The client's side of the pair. */
  readonly clientSide: TransportSocket = {
    send: (text) => {
      if (this.closed || this.frozen) return;
      queueMicrotask(() => {
        if (this.closed || this.frozen) return;
        const frame: unknown = JSON.parse(text);
        this.received.push(frame);
        this.onClientFrame(this, frame);
      });
    },
    close: (code = 1000, reason = '') => {
      if (this.closed) return;
      this.closed = true;
      this.closedByClient = true;
      // A close the client asked for is reported back to it, as a WebSocket does.
      queueMicrotask(() => this.handlers.onClose(code, reason));
    },
  };

  push(frame: ServerFrame): void {
    if (this.closed || this.frozen) return;
    const text = JSON.stringify(frame);
    // Frames sent before a server-side close still arrive (in order, before the close), as over TCP.
    queueMicrotask(() => {
      if (!this.closedByClient && !this.frozen) this.handlers.onMessage(text);
    });
  }

  /** Sends raw text (to prove bad frames are ignored). */
  pushText(text: string): void {
    if (this.closed || this.frozen) return;
    queueMicrotask(() => this.handlers.onMessage(text));
  }

  /** The server closes the socket. */
  drop(code = 1006, reason = ''): void {
    if (this.closed) return;
    this.closed = true;
    queueMicrotask(() => this.handlers.onClose(code, reason));
  }

  /** Frames the client sent of one type. */
  sent(type: string): Array<Record<string, unknown>> {
    return this.received.filter(
      (f): f is Record<string, unknown> =>
        typeof f === 'object' && f !== null && 'type' in f && f.type === type,
    );
  }

  opened(): void {
    queueMicrotask(() => this.handlers.onOpen());
  }
}
