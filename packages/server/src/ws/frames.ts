import type { Duplex } from 'node:stream';
import { CloseCode, MAX_FRAME_BYTES } from '@latch/protocol';
import type { WebSocket } from 'ws';
import type { z } from 'zod';

/**
 * The transport's hard cap (ws `maxPayload`). It sits above {@link MAX_FRAME_BYTES} so that a frame
 * over the protocol limit reaches {@link parseFrame} and gets the protocol's 4400 with a reason; only
 * frames past this cap are cut by the ws library itself (1009).
 */
export const SOCKET_MAX_PAYLOAD_BYTES = 4 * MAX_FRAME_BYTES;

/** Close reasons must fit in 123 bytes. */
export function closeWith(ws: WebSocket, code: number, reason: string): void {
  ws.close(code, Buffer.from(reason).subarray(0, 120).toString());
}

/** Parses one text frame with a schema; on failure closes with 4400 and a reason, returning null. */
export function parseFrame<S extends z.ZodType>(
  ws: WebSocket,
  data: unknown,
  isBinary: boolean,
  schema: S,
): z.infer<S> | null {
  if (isBinary || !Buffer.isBuffer(data)) {
    closeWith(ws, CloseCode.badFrame, 'Binary frames are not accepted');
    return null;
  }
  if (data.length > MAX_FRAME_BYTES) {
    closeWith(ws, CloseCode.badFrame, `Frame too large (limit ${MAX_FRAME_BYTES} bytes)`);
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch {
    closeWith(ws, CloseCode.badFrame, 'Frame is not valid JSON');
    return null;
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    closeWith(
      ws,
      CloseCode.badFrame,
      `Invalid frame: ${issue?.path.join('.') || 'type'} ${issue?.message ?? ''}`,
    );
    return null;
  }
  return r.data;
}

/** A token bucket per socket, against floods. */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();
  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  /** How long one token takes to come back. */
  get msPerToken(): number {
    return Math.ceil(1000 / this.ratePerSec);
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSec);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Frames a socket may have waiting for its turn (see {@link FramePacer}), by total size. */
export const MAX_PACED_BYTES = 256 * 1024;

/**
 * Holds a socket to `bucket`'s rate by making excess frames wait their turn, in order, instead of
 * closing at the first one over. Frames that queued in the kernel while the server was busy arrive
 * in one burst although the client sent them slowly; counting them as a flood closed well-behaved
 * clients exactly when the server was overloaded (docs/performance.md). While frames wait, the socket
 * stops being read, so a fast sender is slowed by TCP itself; one that still piles up more than
 * {@link MAX_PACED_BYTES} is closed.
 */
export class FramePacer {
  private readonly waiting: Array<{ bytes: number; run: () => void }> = [];
  private waitingBytes = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ws: WebSocket,
    private readonly bucket: TokenBucket,
    private readonly onOverflow: () => void,
  ) {}

  admit(bytes: number, run: () => void): void {
    if (this.waiting.length === 0 && this.bucket.take()) {
      run();
      return;
    }
    if (this.waitingBytes + bytes > MAX_PACED_BYTES) {
      this.stop();
      this.onOverflow();
      return;
    }
    this.waiting.push({ bytes, run });
    this.waitingBytes += bytes;
    if (!this.ws.isPaused) this.ws.pause();
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.waiting.length = 0;
    this.waitingBytes = 0;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      while (this.waiting.length > 0 && this.bucket.take()) {
        const next = this.waiting.shift();
        if (!next) break;
        this.waitingBytes -= next.bytes;
        next.run();
      }
      if (this.waiting.length > 0) this.schedule();
      else if (this.ws.isPaused) this.ws.resume();
    }, this.bucket.msPerToken);
  }
}

/**
 * Returns a function to call before each frame written to this socket: the first call in a turn of
 * the event loop corks the socket and uncorks it at the end of the turn (`setImmediate`), so the
 * frames one turn produces for one socket (the answer to a send, the message itself, receipts) leave
 * in one write instead of one system call each. Nothing waits longer than the current turn.
 */
export function coalesceWrites(socket: Duplex): () => void {
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  return () => {
    if (corked) return;
    corked = true;
    socket.cork();
    setImmediate(uncork);
  };
}
