import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorPayload } from '@latch/protocol';
import { securityHeaders } from './securityHeaders';

/** How long a refused connection may take to read its answer before it is cut. */
const DESTROY_AFTER_MS = 2_000;

/**
 * Answers, on the bare socket, a request Fastify never handled (a refused WebSocket upgrade, a
 * request Node could not parse) with the same `{error}` body and security headers as every other
 * response, then closes the connection.
 */
export function refuseOnSocket(
  socket: Duplex,
  status: number,
  error: ErrorPayload,
  opts: { tls: boolean; headers?: Record<string, string> },
): void {
  if (socket.destroyed) return;
  // A peer that resets mid-answer must not raise an unhandled 'error'.
  socket.on('error', () => socket.destroy());
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error });
  const headers: Record<string, string | number> = {
    ...securityHeaders(opts.tls),
    ...opts.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${head}\r\n\r\n${body}`, () =>
    socket.destroy(),
  );
  setTimeout(() => socket.destroy(), DESTROY_AFTER_MS).unref();
}
