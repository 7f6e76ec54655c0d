import { ErrorBody, type ErrorCode, type ErrorPayload } from '@latch/protocol';
import type { z } from 'zod';
import { browserHttpTransport } from './engine/browserTransport';
import type { HttpTransport } from './engine/transport';

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

export { APP_HEADERS } from './appHeaders';

/**
 * JSON request to the Latch API through an HTTP seam, parsing both the success body and the error
 * body. A network failure or timeout is an {@link ApiError} with code `network` and status 0.
 */
export async function requestJsonWith<S extends z.ZodType>(
  http: HttpTransport,
  method: 'GET' | 'POST',
  url: string,
  schema: S,
  body?: unknown,
  opts: { timeoutMs?: number } = {},
): Promise<z.infer<S>> {
  let res: Awaited<ReturnType<HttpTransport['request']>>;
  try {
    res = await http.request({ method, url, body, timeoutMs: opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS });
  } catch {
    throw new ApiError(0, { code: 'network', message: 'Cannot reach the server. Check your connection.' });
  }
  if (res.status < 200 || res.status >= 300) {
    const err = ErrorBody.safeParse(res.json);
    throw new ApiError(
      res.status,
      err.success ? err.data.error : { code: 'internal', message: `The server answered ${res.status}.` },
    );
  }
  return schema.parse(res.json);
}

/** JSON request to this page's Latch API (same origin, with its cookie). */
export function requestJson<S extends z.ZodType>(
  method: 'GET' | 'POST',
  path: string,
  schema: S,
  body?: unknown,
  opts: { timeoutMs?: number } = {},
): Promise<z.infer<S>> {
  return requestJsonWith(browserHttpTransport, method, path, schema, body, opts);
}
