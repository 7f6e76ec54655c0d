/**
 * Light readers for server frames. The load generator trusts the server it measures and must stay cheap
 * per frame, so it checks only the fields it uses instead of running the full zod schemas on every frame.
 */
export type Frame = { type: string } & Record<string, unknown>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses one text frame; null for anything that is not a JSON object with a string `type`. */
export function readFrame(data: unknown): Frame | null {
  const text = Buffer.isBuffer(data) ? data.toString('utf8') : typeof data === 'string' ? data : null;
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value) || typeof value.type !== 'string') return null;
  return { ...value, type: value.type };
}

export function stringField(record: unknown, key: string): string | undefined {
  if (!isRecord(record)) return undefined;
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

export function numberField(record: unknown, key: string): number | undefined {
  if (!isRecord(record)) return undefined;
  const value = record[key];
  return typeof value === 'number' ? value : undefined;
}

/** The `message.text` of a `message` frame. */
export function messageText(frame: Frame): string | undefined {
  return frame.type === 'message' ? stringField(frame.message, 'text') : undefined;
}
