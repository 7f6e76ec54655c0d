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
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSec);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
