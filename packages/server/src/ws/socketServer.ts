import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { PresenceWriter } from '../jobs/presenceWriter';
import type { Metrics } from '../metrics';
import type { PublicUrl } from '../publicUrl';
import type { Services } from '../services/services';
import type { Connections } from './connections';
import { handleDeviceSocket } from './deviceGateway';
import { SOCKET_MAX_PAYLOAD_BYTES } from './frames';
import { handleLinkSocket } from './linkChannel';
import { createUpgradeHandler } from './upgrade';

export interface SocketServerDeps {
  app: FastifyInstance;
  config: Config;
  services: Services;
  conns: Connections;
  presence: PresenceWriter;
  publicUrl: PublicUrl;
  metrics: Metrics;
  clock: Clock;
  log: Logger;
  background: (work: Promise<unknown>) => void;
  /** Called first for every socket that opens (error listener, heartbeat). */
  track: (ws: WebSocket) => void;
}

/** The `ws` server behind the HTTP server's `upgrade` event: `/v1/link` and `/v1/ws`. */
export function attachSocketServer(deps: SocketServerDeps): WebSocketServer {
  const { app, config, services, conns, log, metrics } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: SOCKET_MAX_PAYLOAD_BYTES });
  const gateway = {
    services,
    conns,
    log,
    metrics,
    clock: deps.clock,
    socketsPerDevice: config.limits.socketsPerDevice,
    presence: deps.presence,
    parseCookies: (h: string | undefined) => app.parseCookie(h ?? ''),
  };
  app.server.on(
    'upgrade',
    createUpgradeHandler({
      wss,
      publicUrl: deps.publicUrl,
      tls: config.tls,
      clientIp: (req) => clientIp(req, config),
      track: deps.track,
      log,
      routes: {
        link(ws, req, ip) {
          handleLinkSocket(
            { services, conns, log, config, metrics, background: deps.background },
            ws,
            req,
            ip,
          );
        },
        device(ws, req, client, ip, socket) {
          handleDeviceSocket(gateway, ws, req, client, ip, socket).catch((err: unknown) => {
            log.error({ err }, 'socket setup failed');
            ws.close(1011, 'Internal error');
          });
        },
      },
    }),
  );
  return wss;
}

/** The first X-Forwarded-For address behind a trusted proxy, else the peer's. */
function clientIp(req: IncomingMessage, config: Config): string {
  const forwarded = req.headers['x-forwarded-for'];
  const first = config.trustProxy && typeof forwarded === 'string' ? forwarded.split(',')[0]!.trim() : '';
  return first || req.socket.remoteAddress || 'unknown';
}
