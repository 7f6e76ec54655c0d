import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { refuseOnSocket } from './rawResponse';
import { securityHeaders } from './securityHeaders';

/**
 * Errors Fastify and Node answer before any route or hook runs: a request target the router cannot
 * decode (`/%c0`), a request Node's parser rejects (`FOO / HTTP/1.1`, bare LF, oversized headers).
 * They get the same `{error}` body and SEC-1 headers as everything else (IN-5, SEC-4).
 */
export function frameworkErrorOptions(
  tls: boolean,
): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> {
  const headers = securityHeaders(tls);
  return {
    frameworkErrors(_err: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
      reply
        .status(400)
        .headers(headers)
        .send({ error: { code: 'bad_request', message: 'The request target is not valid.' } });
    },
    clientErrorHandler(err: Error & { code?: string }, socket: Socket) {
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') {
        socket.destroy();
        return;
      }
      const [status, message] =
        err.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'The request headers are too large.']
          : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'The request took too long.']
            : [400, 'The request could not be read.'];
      refuseOnSocket(socket, status, { code: 'bad_request', message }, { tls });
    },
  };
}
