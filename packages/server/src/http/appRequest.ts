import { APP_REQUEST_HEADER, APP_REQUEST_HEADER_VALUE } from '@latch/protocol';
import type { FastifyRequest } from 'fastify';

/**
 * Whether a request is the app's own (SEC-3): it carries the header only the apps' fetch wrapper
 * sends, and, when the browser says where it came from, it came from this origin. Only such
 * requests may clear the browser's data or log it out: an `<img>` or a form on another site can
 * send neither the header nor `Sec-Fetch-Site: same-origin`.
 */
export function isAppRequest(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  return (
    req.headers[APP_REQUEST_HEADER] === APP_REQUEST_HEADER_VALUE &&
    (site === undefined || site === 'same-origin')
  );
}
