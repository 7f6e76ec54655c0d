/**
 * Light readers for fields of server frames and results. (Frames themselves arrive parsed by the
 * client engine's Connection, ENG-14.)
 */
export type Frame = { type: string } & Record<string, unknown>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
