import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ClientApp, ClientQuery, CloseCode, type ErrorPayload } from '@latch/protocol';
import type { Logger } from 'pino';
import type { WebSocket, WebSocketServer } from 'ws';
import { refuseOnSocket } from '../http/rawResponse';
import type { PublicUrl } from '../publicUrl';

/** The two sockets a browser may open; what to do once the handshake is done. */
export interface UpgradeRoutes {
  link(ws: WebSocket, req: IncomingMessage, ip: string): void;
  device(ws: WebSocket, req: IncomingMessage, client: ClientApp, ip: string, socket: Duplex): void;
}

export interface UpgradeDeps {
  wss: WebSocketServer;
  publicUrl: PublicUrl;
  tls: boolean;
  clientIp: (req: IncomingMessage) => string;
  /** Called first for every socket that opens (error listener, heartbeat), whatever happens next. */
  track: (ws: WebSocket) => void;
  log: Logger;
  routes: UpgradeRoutes;
}

const BAD_TARGET: ErrorPayload = { code: 'bad_request', message: 'The request target is not valid.' };

/**
 * The `upgrade` listener (IN-5). Everything in an upgrade request comes from the client and is read
 * outside Fastify, so nothing here may throw: an exception in this listener would end the process.
 * Unreadable requests get a 400 with SEC-1's headers and the `{error}` body, then the socket is closed.
 */
export function createUpgradeHandler(deps: UpgradeDeps) {
  const { wss, log, tls } = deps;
  const refuse = (socket: Duplex, status: number, error: ErrorPayload) =>
    refuseOnSocket(socket, status, error, { tls });
  // ws reports a bad handshake (method, key, version, subprotocols) here instead of answering itself.
  wss.on('wsClientError', (err: Error, socket: Duplex, req: IncomingMessage) => {
    const status = req.method === 'GET' ? 400 : 405;
    refuse(socket, status, { code: 'bad_request', message: err.message });
  });

  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // A reset before the handshake finishes must not become an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    try {
      route(req, socket, head);
    } catch (err) {
      // Only the error's class: its message may quote what the client sent.
      log.warn(
        { error: err instanceof Error ? err.name : typeof err },
        'upgrade refused: unreadable request',
      );
      refuse(socket, 400, BAD_TARGET);
    }
  };

  function route(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const target = parseTarget(req.url);
    if (!target) return refuse(socket, 400, BAD_TARGET);
    if (!deps.publicUrl.allows(req.headers.origin)) {
      return refuse(socket, 403, { code: 'forbidden', message: 'Cross-origin request refused.' });
    }
    const ip = deps.clientIp(req);
    if (target.pathname === '/v1/link') {
      wss.handleUpgrade(req, socket, head, (ws) => {
        deps.track(ws);
        deps.routes.link(ws, req, ip);
      });
      return;
    }
    if (target.pathname === '/v1/ws') {
      const query = ClientQuery.safeParse(Object.fromEntries(target.searchParams));
      wss.handleUpgrade(req, socket, head, (ws) => {
        deps.track(ws);
        if (!query.success) return ws.close(CloseCode.badFrame, 'Query must be ?client=web or ?client=phone');
        deps.routes.device(ws, req, query.data.client, ip, socket);
      });
      return;
    }
    refuse(socket, 404, { code: 'not_found', message: 'No such endpoint.' });
  }
}

/**
 * An origin-form request target (`/path?query`) as a URL, or null. `//host…` and `/\host…` are
 * refused before parsing: WHATWG URL reads them as a host (and throws on `//[`).
 */
export function parseTarget(raw: string | undefined): URL | null {
  if (raw?.[0] !== '/' || raw[1] === '/' || raw[1] === '\\') return null;
  try {
    return new URL(raw, 'http://latch.invalid');
  } catch {
    return null;
  }
}
