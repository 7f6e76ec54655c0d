import {
  APP_REQUEST_HEADER,
  APP_REQUEST_HEADER_VALUE,
  ErrorBody,
  type ErrorCode,
  type ErrorPayload,
} from '@latch/protocol';
import type { z } from 'zod';

/** A failed request, carrying the server's stable error id. */
export class ApiError extends Error {
  readonly code: ErrorCode | 'network';
  readonly status: number;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, payload: ErrorPayload | { code: 'network'; message: string }) {
    super(payload.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = payload.code;
    this.retryAfterMs = 'retryAfterMs' in payload ? payload.retryAfterMs : undefined;
    this.details = 'details' in payload ? payload.details : undefined;
  }
}

/** No request may hang for ever: a server that does not answer counts as unreachable. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/** Headers every request of the apps carries: marks it as the app's own (SEC-3). */
export const APP_HEADERS: Record<string, string> = { [APP_REQUEST_HEADER]: APP_REQUEST_HEADER_VALUE };

/** JSON request to the Latch API, parsing both the success body and the error body. */
export async function requestJson<S extends z.ZodType>(
  method: 'GET' | 'POST',
  path: string,
  schema: S,
  body?: unknown,
  opts: { timeoutMs?: number } = {},
): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? APP_HEADERS : { ...APP_HEADERS, 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
    });
  } catch {
    throw new ApiError(0, { code: 'network', message: 'Cannot reach the server. Check your connection.' });
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const err = ErrorBody.safeParse(json);
    throw new ApiError(
      res.status,
      err.success ? err.data.error : { code: 'internal', message: `The server answered ${res.status}.` },
    );
  }
  return schema.parse(json);
}
