import type { ErrorCode, ErrorPayload } from '@latch/protocol';

/** An error meant for the client: an HTTP status, a stable id and a message for people. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly extra: { retryAfterMs?: number; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message, ...this.extra };
  }
}

export const badRequest = (message: string) => new AppError(400, 'bad_request', message);
export const validationFailed = (message: string) => new AppError(400, 'validation_failed', message);
export const unauthorized = (message = 'Not signed in.', details?: Record<string, unknown>) =>
  new AppError(401, 'unauthorized', message, details ? { details } : {});
export const forbidden = (code: ErrorCode, message: string, details?: Record<string, unknown>) =>
  new AppError(403, code, message, details ? { details } : {});
export const notFound = (code: ErrorCode, message: string) => new AppError(404, code, message);
export const gone = (code: ErrorCode, message: string) => new AppError(410, code, message);
export const conflict = (code: ErrorCode, message: string, details?: Record<string, unknown>) =>
  new AppError(409, code, message, details ? { details } : {});
export const rateLimited = (retryAfterMs: number, message = 'Too many attempts. Try again later.') =>
  new AppError(429, 'rate_limited', message, { retryAfterMs });
