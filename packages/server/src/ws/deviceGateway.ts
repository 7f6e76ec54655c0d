import type { IncomingMessage } from 'node:http';
import {
  authMessage,
  type ClientApp,
  ClientFrame,
  CloseCode,
  type ErrorPayload,
  PROTOCOL_VERSION,
  type RequestFrame,
  rpcMethods,
  SESSION_COOKIE,
  type ServerFrame,
} from '@latch/protocol';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { randomToken, verifyDeviceSignature } from '../crypto';
import { AppError } from '../errors';
import type { Services } from '../services/services';
import type { Connections, DeviceConn } from './connections';
import { closeWith, parseFrame, TokenBucket } from './frames';
import { type RpcCaller, rpcHandlers } from './rpcHandlers';

export const AUTH_TIMEOUT_MS = 10_000;
/** A device counts as online this long after its node last confirmed the socket. */
export const ONLINE_TTL_MS = 90_000;

export interface GatewayDeps {
  services: Services;
  conns: Connections;
  log: Logger;
  parseCookies: (header: string | undefined) => Record<string, string | undefined>;
  /** Runs work that outlives a socket (e.g. "went offline"); the server drains it before closing the store. */
  background: (work: Promise<unknown>) => void;
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
): Promise<void> {
  const { services, conns, log } = deps;
  // Frames may arrive while the session check runs; hold them until the handshake is set up.
  const early: Array<[unknown, boolean]> = [];
  const hold = (data: unknown, isBinary: boolean) => early.push([data, isBinary]);
  ws.on('message', hold);
  const cookie = deps.parseCookies(req.headers.cookie)[SESSION_COOKIE[app]];
  const check = await services.sessions.check(cookie, app);
  if (check.kind === 'revoked') return closeWith(ws, CloseCode.loggedOut, check.reason);
  if (check.kind === 'none') return closeWith(ws, CloseCode.unauthorized, 'No valid session');

  const nonce = randomToken(32);
  const send = (frame: ServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  send({ type: 'challenge', nonce, protocolVersion: PROTOCOL_VERSION });
  const authTimer = setTimeout(
    () => closeWith(ws, CloseCode.authTimeout, 'Authenticate within 10 s'),
    AUTH_TIMEOUT_MS,
  );
  const bucket = new TokenBucket(50, 100);
  let conn: DeviceConn | null = null;
  let caller: RpcCaller | null = null;

  const onFrame = async (data: unknown, isBinary: boolean) => {
    if (!bucket.take()) return closeWith(ws, CloseCode.rateLimited, 'Too many frames');
    const frame = parseFrame(ws, data, isBinary, ClientFrame);
    if (!frame) return;
    if (!caller) {
      if (frame.type !== 'auth') return closeWith(ws, CloseCode.unauthorized, 'Authenticate first');
      if (!verifyDeviceSignature(check.device.public_key, authMessage(nonce), frame.signature)) {
        return closeWith(ws, CloseCode.unauthorized, 'Bad signature');
      }
      clearTimeout(authTimer);
      // The device may have been logged out while it was signing.
      const again = await services.sessions.check(cookie, app);
      if (again.kind !== 'ok')
        return closeWith(ws, CloseCode.loggedOut, again.kind === 'revoked' ? again.reason : 'self');
      if (ws.readyState !== ws.OPEN) return;
      caller = { accountId: again.account.id, device: again.device, ip };
      conn = { ws, app, accountId: caller.accountId, deviceId: caller.device.id, send };
      conns.add(conn);
      await markOnline(services, caller.device.id);
      const account = await services.accounts.get(caller.accountId);
      send({ type: 'ready', account, deviceId: caller.device.id, serverTime: services.ctx.clock.now() });
      if (app === 'web')
        await services.ctx.bus.publish({ type: 'devices.changed', accountId: caller.accountId });
      return;
    }
    if (frame.type === 'auth') return closeWith(ws, CloseCode.badFrame, 'Already authenticated');
    send(await answer(services, caller, frame, log));
  };

  ws.off('message', hold);
  ws.on('message', (data, isBinary) => {
    onFrame(data, isBinary).catch((err: unknown) => {
      log.error({ err }, 'socket frame failed');
      closeWith(ws, 1011, 'Internal error');
    });
  });
  ws.on('close', () => {
    clearTimeout(authTimer);
    if (!conn) return;
    const last = conns.remove(conn);
    if (last) deps.background(markOffline(services, conn));
  });
  for (const [data, isBinary] of early) ws.emit('message', data, isBinary);
}

async function markOnline(services: Services, deviceId: string): Promise<void> {
  const now = services.ctx.clock.now();
  await services.ctx.repos.devices.touch(deviceId, now, now + ONLINE_TTL_MS);
}

async function markOffline(services: Services, conn: DeviceConn): Promise<void> {
  await services.ctx.repos.devices.setOffline(conn.deviceId, services.ctx.clock.now());
  if (conn.app === 'web')
    await services.ctx.bus.publish({ type: 'devices.changed', accountId: conn.accountId });
}

/** Devices per UPDATE in {@link refreshOnline}: well under SQLite's bound-parameter limit. */
const REFRESH_BATCH = 500;

/**
 * Refreshes "online" for every device with a socket here (called by the heartbeat). In batches: one
 * UPDATE per device held the event loop for about a second every 30 s at 10k sockets.
 */
export async function refreshOnline(services: Services, conns: Connections): Promise<void> {
  const ids = conns.deviceIds();
  const now = services.ctx.clock.now();
  for (let i = 0; i < ids.length; i += REFRESH_BATCH) {
    await services.ctx.repos.devices.touchMany(ids.slice(i, i + REFRESH_BATCH), now, now + ONLINE_TTL_MS);
  }
}

async function answer(
  services: Services,
  caller: RpcCaller,
  frame: RequestFrame,
  log: Logger,
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
    const handler = rpcHandlers[frame.method] as (s: Services, c: RpcCaller, p: unknown) => Promise<unknown>;
    const result = await handler(services, caller, parsed.data);
    return { type: 'res', id: frame.id, ok: true, result };
  } catch (err) {
    if (err instanceof AppError) return fail(frame.id, err.toPayload());
    log.error({ err, method: frame.method }, 'rpc failed');
    return fail(frame.id, { code: 'internal', message: 'Something went wrong on our side.' });
  }
}

function fail(id: string, error: ErrorPayload): ServerFrame {
  return { type: 'res', id, ok: false, error };
}
