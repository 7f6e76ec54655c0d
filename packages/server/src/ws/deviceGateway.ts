import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  authMessage,
  type ClientApp,
  ClientFrame,
  CloseCode,
  type ErrorPayload,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  type RequestFrame,
  rpcMethods,
  SESSION_COOKIE,
  type ServerFrame,
} from '@latch/protocol';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { Clock } from '../clock';
import { randomToken, verifyDeviceSignature } from '../crypto';
import { AppError } from '../errors';
import type { PresenceWriter } from '../jobs/presenceWriter';
import type { Metrics } from '../metrics';
import { LINK_GUESSES_PER_SOCKET } from '../services/linkCodeGuesses';
import { SocketFailureCounter } from '../services/rateLimiter';
import type { Services } from '../services/services';
import type { Connections, DeviceConn } from './connections';
import { closeWith, coalesceWrites, FramePacer, parseFrame, TokenBucket } from './frames';
import { type RpcCaller, rpcHandlers } from './rpcHandlers';
import { enforceRpcPolicy } from './rpcPolicy';

export const AUTH_TIMEOUT_MS = 10_000;
/** Close reason (with 4429) for a socket over the per-device cap (LIM-5). */
export const TOO_MANY_SOCKETS = 'Too many connections for this device';

export interface GatewayDeps {
  services: Services;
  metrics: Metrics;
  clock: Clock;
  /** LIM-5: authenticated sockets one device may hold on this node. */
  socketsPerDevice: number;
  conns: Connections;
  log: Logger;
  parseCookies: (header: string | undefined) => Record<string, string | undefined>;
  /** Writes "online" and "offline" for the sockets, in batches. */
  presence: PresenceWriter;
}

/**
 * /v1/ws: cookie names the device, then the device proves it holds its key by signing a fresh nonce.
 * Only then does the socket join this node's connections and accept requests.
 */
export async function handleDeviceSocket(
  deps: GatewayDeps,
  ws: WebSocket,
  req: IncomingMessage,
  app: ClientApp,
  ip: string,
  socket: Duplex,
): Promise<void> {
  const { services, conns, log } = deps;
  // Frames may arrive while the session check runs; hold them until the handshake is set up.
  const early: Array<[unknown, boolean]> = [];
  const hold = (data: unknown, isBinary: boolean) => early.push([data, isBinary]);
  ws.on('message', hold);
  const cookie = deps.parseCookies(req.headers.cookie)[SESSION_COOKIE[app]];
  const check = await services.sessions.check(cookie, app);
  if (check.kind !== 'ok') deps.metrics.handshake('failed');
  if (check.kind === 'revoked') return closeWith(ws, CloseCode.loggedOut, check.reason);
  if (check.kind === 'none') return closeWith(ws, CloseCode.unauthorized, 'No valid session');

  // Held until the device has answered the challenge; dropped then (memory per idle socket).
  let pending: { first: typeof check; nonce: string } | null = { first: check, nonce: randomToken(32) };
  const coalesce = coalesceWrites(socket);
  const sendText = (text: string) => {
    if (ws.readyState !== ws.OPEN) return;
    coalesce();
    ws.send(text);
  };
  const send = (frame: ServerFrame) => sendText(JSON.stringify(frame));
  send({ type: 'challenge', nonce: pending.nonce, protocolVersion: PROTOCOL_VERSION });
  const authTimer = setTimeout(
    () => closeWith(ws, CloseCode.authTimeout, 'Authenticate within 10 s'),
    AUTH_TIMEOUT_MS,
  );
  const pacer = new FramePacer(ws, new TokenBucket(50, 100), () => {
    deps.metrics.rateLimitRefused('socket_flood');
    closeWith(ws, CloseCode.rateLimited, 'Too many frames');
  });
  let conn: DeviceConn | null = null;
  let caller: RpcCaller | null = null;

  const onFrame = async (data: unknown, isBinary: boolean) => {
    const frame = parseFrame(ws, data, isBinary, ClientFrame);
    if (!frame) return;
    if (!caller) {
      if (frame.type !== 'auth') return closeWith(ws, CloseCode.unauthorized, 'Authenticate first');
      const challenge = pending;
      if (!challenge) return; // a second auth frame while the first is being checked
      pending = null;
      const { first, nonce } = challenge;
      if (!verifyDeviceSignature(first.device.public_key, authMessage(nonce), frame.signature)) {
        return closeWith(ws, CloseCode.unauthorized, 'Bad signature');
      }
      clearTimeout(authTimer);
      // The device may have been logged out while it was signing.
      const again = await services.sessions.recheck(first);
      if (again.kind !== 'ok')
        return closeWith(ws, CloseCode.loggedOut, again.kind === 'revoked' ? again.reason : 'self');
      if (ws.readyState !== ws.OPEN) return;
      // LIM-5: the newest socket beyond the cap is refused; the open ones (older tabs) carry on.
      if (conns.socketsOfDevice(again.device.id) >= deps.socketsPerDevice) {
        return closeWith(ws, CloseCode.rateLimited, TOO_MANY_SOCKETS);
      }
      caller = {
        accountId: again.account.id,
        device: again.device,
        ip,
        codeGuesses: new SocketFailureCounter(LINK_GUESSES_PER_SOCKET, deps.clock),
      };
      conn = { ws, app, accountId: caller.accountId, deviceId: caller.device.id, send, sendText };
      conns.add(conn);
      deps.presence.online(conn.deviceId, conn.accountId, app);
      const account = await services.accounts.present(again.account, again.device);
      send({ type: 'ready', account, deviceId: caller.device.id, serverTime: deps.clock.now() });
      deps.metrics.handshake('ok');
      return;
    }
    if (frame.type === 'auth') return closeWith(ws, CloseCode.badFrame, 'Already authenticated');
    // ENG-4: the client's heartbeat; answered at once, nothing else to do.
    if (frame.type === 'ping') return send({ type: 'pong' });
    send(await answer(deps, caller, frame));
  };

  ws.off('message', hold);
  ws.on('message', (data, isBinary) => {
    const bytes = Buffer.isBuffer(data) ? data.length : MAX_FRAME_BYTES;
    pacer.admit(bytes, () => {
      onFrame(data, isBinary).catch((err: unknown) => {
        log.error({ err }, 'socket frame failed');
        closeWith(ws, 1011, 'Internal error');
      });
    });
  });
  ws.on('close', () => {
    clearTimeout(authTimer);
    pacer.stop();
    // Closed before `ready`: no handshake (bad signature, timeout, frames before auth, revoked meanwhile).
    if (!conn) return deps.metrics.handshake('failed');
    const last = conns.remove(conn);
    // A logout already wrote the device offline (and told the phone): a mass logout of 10k sockets
    // must not queue 10k more writes behind the operator's transactions.
    if (last && !conn.revoked) deps.presence.offline(conn.deviceId, conn.accountId, conn.app);
  });
  for (const [data, isBinary] of early) ws.emit('message', data, isBinary);
}

async function answer(
  { services, metrics, log }: GatewayDeps,
  caller: RpcCaller,
  frame: RequestFrame,
): Promise<ServerFrame> {
  const spec = rpcMethods[frame.method];
  const parsed = spec.params.safeParse(frame.params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return fail(frame.id, {
      code: 'validation_failed',
      message: `${where}${issue?.message ?? 'invalid params'}`,
    });
  }
  try {
    await enforceRpcPolicy(frame.method, services, caller, parsed.data);
    const handler = rpcHandlers[frame.method] as (s: Services, c: RpcCaller, p: unknown) => Promise<unknown>;
    const result = await handler(services, caller, parsed.data);
    return { type: 'res', id: frame.id, ok: true, result };
  } catch (err) {
    if (err instanceof AppError) {
      if (err.code === 'rate_limited') metrics.rateLimitRefused('rpc');
      return fail(frame.id, err.toPayload());
    }
    log.error({ err, method: frame.method }, 'rpc failed');
    return fail(frame.id, { code: 'internal', message: 'Something went wrong on our side.' });
  }
}

function fail(id: string, error: ErrorPayload): ServerFrame {
  return { type: 'res', id, ok: false, error };
}
