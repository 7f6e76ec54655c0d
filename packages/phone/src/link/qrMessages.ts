/** Main thread → QR worker: one frame's pixels (RGBA), transferred, not copied. */
export interface DecodeRequest {
  id: number;
  width: number;
  height: number;
  data: Uint8ClampedArray;
  /** Also try inverted colours (photos of screens); slower, so only for still images. */
  thorough: boolean;
}

/** QR worker → main thread: the decoded text, or null when no code was found. */
export interface DecodeResponse {
  id: number;
  text: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Checks a message that crossed the thread boundary (kept free of zod to keep the worker small). */
export function parseDecodeRequest(value: unknown): DecodeRequest | null {
  if (!isRecord(value)) return null;
  const { id, width, height, data, thorough } = value;
  if (typeof id !== 'number' || typeof thorough !== 'boolean') return null;
  if (typeof width !== 'number' || typeof height !== 'number' || !(data instanceof Uint8ClampedArray))
    return null;
  if (!Number.isInteger(width) || !Number.isInteger(height) || data.length !== width * height * 4)
    return null;
  return { id, width, height, data, thorough };
}

export function parseDecodeResponse(value: unknown): DecodeResponse | null {
  if (!isRecord(value)) return null;
  const { id, text } = value;
  if (typeof id !== 'number' || (text !== null && typeof text !== 'string')) return null;
  return { id, text };
}
