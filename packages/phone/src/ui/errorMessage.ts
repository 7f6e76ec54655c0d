import { ApiError, formatWait } from '@latch/client';
import type { ErrorCode } from '@latch/protocol';

type Code = ErrorCode | 'network';

/** Words for the errors any screen may meet; screens pass their own for codes that mean more there. */
const COMMON: Partial<Record<Code, string>> = {
  network: 'Cannot reach Latch. Check your connection and try again.',
  internal: 'Something went wrong on the server. Try again.',
  unauthorized: 'You are signed out.',
  pin_invalid: 'Wrong PIN. Try again.',
};

/** A sentence for an error from the API or the socket. */
export function errorMessage(err: unknown, overrides: Partial<Record<Code, string>> = {}): string {
  if (!(err instanceof ApiError)) {
    // Not the server's answer: a bug or a broken browser API. Keep it visible to whoever debugs.
    console.error(err);
    return 'Something went wrong. Try again.';
  }
  if (err.code === 'rate_limited' || err.code === 'pin_locked') {
    const what = err.code === 'pin_locked' ? 'Too many wrong PINs.' : 'Too many attempts.';
    const wait = err.retryAfterMs === undefined ? 'later' : `in ${formatWait(err.retryAfterMs)}`;
    return overrides[err.code] ?? `${what} Try again ${wait}.`;
  }
  return overrides[err.code] ?? COMMON[err.code] ?? err.message;
}

/** The server's error id, or null for errors that did not come from the API. */
export function errorCode(err: unknown): Code | null {
  return err instanceof ApiError ? err.code : null;
}
