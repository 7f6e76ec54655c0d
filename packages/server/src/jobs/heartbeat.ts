import type { Logger } from 'pino';
import type { WebSocket } from 'ws';

export const HEARTBEAT_MS = 30_000;

/**
 * Drops sockets that stopped answering pings and keeps "online" fresh for the others. `track` is
 * called for every socket the node accepts.
 */
export function startHeartbeat(deps: {
  /** Every socket this node holds. */
  sockets: () => Iterable<WebSocket>;
  /** Refreshes "online" for every device with a socket here. */
  refreshOnline: () => Promise<void>;
  log: Logger;
}) {
  const { log } = deps;
  const alive = new WeakMap<WebSocket, boolean>();
  const timer = setInterval(() => {
    for (const ws of deps.sockets()) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
    deps.refreshOnline().catch((err: unknown) => log.error({ err }, 'online refresh failed'));
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    track(ws: WebSocket): void {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      // Protocol violations (oversized or invalid UTF-8 frames) surface as 'error' after ws has
      // already closed the socket; without a listener they would be thrown and take the node down.
      ws.on('error', (err) => log.debug({ err: err.message }, 'socket protocol error'));
    },
    stop: () => clearInterval(timer),
  };
}
