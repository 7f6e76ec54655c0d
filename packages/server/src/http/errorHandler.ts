import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors';

/** Turns every failure into `{error: {code, message}}`; unknown ones become a logged 500 with no internals. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      if (err.extra.retryAfterMs) reply.header('retry-after', Math.ceil(err.extra.retryAfterMs / 1000));
      return reply.status(err.status).send({ error: err.toPayload() });
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply
          .status(413)
          .send({ error: { code: 'payload_too_large', message: 'The request body is too large.' } });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.status(415).send({
          error: { code: 'unsupported_media_type', message: 'Send JSON (content-type: application/json).' },
        });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return reply
          .status(400)
          .send({ error: { code: 'bad_request', message: 'The body is not valid JSON.' } });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      const message =
        err instanceof SyntaxError ? 'The body is not valid JSON.' : 'The request is not valid.';
      return reply.status(err.statusCode).send({ error: { code: 'bad_request', message } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: { code: 'internal', message: 'Something went wrong on our side.' } });
  });
  app.setNotFoundHandler((_req, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: 'No such endpoint.' } }),
  );
}
