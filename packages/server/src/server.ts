import type { IncomingMessage } from 'node:http';
import fastifyCookie from '@fastify/cookie';
import { CloseCode } from '@latch/protocol';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { type WebSocket, WebSocketServer } from 'ws';
import { openBus } from './bus/memoryBus';
import { type Clock, systemClock } from './clock';
import type { Config } from './config';
import { forbidden } from './errors';
import { registerApiRoutes } from './http/api.routes';
import { registerErrorHandler } from './http/errorHandler';
import { frameworkErrorOptions } from './http/frameworkErrors';
import { registerOpsRoutes } from './http/ops.routes';
import { registerSecurityHeaders } from './http/securityHeaders';
import { registerApps } from './http/staticApps';
import { createLogger } from './logger';
import { openObservability } from './observability';
import { PublicUrl } from './publicUrl';
import { makeRepositories, type ServiceContext } from './services/context';
import { RateLimiter } from './services/rateLimiter';
import { createServices, type Services } from './services/services';
import { ConsoleEmail, type EmailTransport, WebhookEmail } from './sms/emailTransport';
import { ConsoleSms, type SmsTransport, WebhookSms } from './sms/smsTransport';
import { startBackgroundCheckpoints } from './store/checkpointer';
import { openDatabase } from './store/database';
import { BusRouter } from './ws/busRouter';
import { Connections } from './ws/connections';
import { handleDeviceSocket } from './ws/deviceGateway';
import { SOCKET_MAX_PAYLOAD_BYTES } from './ws/frames';
import { handleLinkSocket } from './ws/linkChannel';
import { PresenceWriter } from './ws/presenceWriter';
import { startRevocationSweep } from './ws/revocationSweep';
import { createUpgradeHandler, type UpgradeRoutes } from './ws/upgrade';

export const VERSION = '0.1.0';
const HEARTBEAT_MS = 30_000;
const BODY_LIMIT_BYTES = 16 * 1024;

export interface LatchServer {
  app: FastifyInstance;
  services: Services;
  conns: Connections;
  /** Batched "online"/"offline" writes of the sockets ({@link PresenceWriter.flush} writes them now). */
  presence: PresenceWriter;
  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number>;
  /** Graceful stop: sockets closed with 1001, HTTP drained, store and bus closed. */
  close(): Promise<void>;
}

export interface ServerOverrides {
  clock?: Clock;
  sms?: SmsTransport;
  email?: EmailTransport;
  log?: Logger;
}

/** Store, bus, transports and clock: everything services need, for the server and the CLI alike. */
export async function openContext(
  config: Config,
  overrides: ServerOverrides = {},
): Promise<{ ctx: ServiceContext; close: () => Promise<void> }> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const { metrics, audit, observe } = openObservability(config, log, VERSION);
  const store = await openDatabase(config.databaseUrl, log, {
    onQuery: (ms) => metrics.storeQuery(ms),
  }).catch(async (err: unknown) => {
    await audit.close();
    throw err;
  });
  const bus = await openBus(config.busUrl, log, observe).catch(async (err: unknown) => {
    await store.close();
    await audit.close();
    throw err;
  });
  const repos = makeRepositories(store.db);
  const clock = overrides.clock ?? systemClock;
  const sms =
    overrides.sms ??
    (config.sms.transport === 'webhook' && config.sms.webhookUrl
      ? new WebhookSms({ url: config.sms.webhookUrl, log })
      : new ConsoleSms());
  const email =
    overrides.email ??
    (config.email.transport === 'webhook' && config.email.webhookUrl
      ? new WebhookEmail({ url: config.email.webhookUrl, log })
      : new ConsoleEmail());
  const ctx: ServiceContext = {
    db: store.db,
    repos,
    clock,
    bus,
    config,
    publicUrl: new PublicUrl(config),
    log,
    sms,
    email,
    limiter: new RateLimiter(repos.rateLimits, clock),
    metrics,
    audit,
  };
  return {
    ctx,
    async close() {
      await bus.close();
      await store.close();
      await audit.close();
    },
  };
}

export async function createLatchServer(
  config: Config,
  overrides: ServerOverrides = {},
): Promise<LatchServer> {
  const { ctx, close: closeContext } = await openContext(config, overrides);
  const { log, bus } = ctx;
  // A long-running node checkpoints SQLite's log off the event loop (short CLI runs need not).
  const stopCheckpoints = config.databaseUrl.startsWith('sqlite://')
    ? await startBackgroundCheckpoints(ctx.db, config.databaseUrl.slice('sqlite://'.length), log)
    : async () => {};
  const services = createServices(ctx);
  const conns = new Connections();
  const inFlight = new Set<Promise<unknown>>();
  const background = (work: Promise<unknown>) => {
    const p = work
      .catch((err: unknown) => log.error({ err }, 'background work failed'))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  const presence = new PresenceWriter(services, background);
  const router = new BusRouter(conns, services, log);
  const unsubscribe = bus.subscribe(router.handle);
  const sweep = startRevocationSweep(ctx, conns, router, log);
  const stopResync = bus.onRecovered(() => {
    log.info({ sockets: conns.size }, 'bus recovered: asking sockets to catch up');
    for (const c of conns.all()) c.send({ type: 'resync' });
  });
  const stopCountingReconnects = bus.onRecovered(() => ctx.metrics.busReconnected());
  ctx.metrics.collectProcessMetrics();
  ctx.metrics.countSocketsWith(() => conns.countByKind());

  const app: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    ...frameworkErrorOptions(config.tls),
  });
  await app.register(fastifyCookie);
  registerSecurityHeaders(app, { tls: config.tls });
  registerErrorHandler(app);
  app.addHook('onRequest', async (req) => {
    // Cross-site requests are refused outright (SameSite=Strict cookies are the second lock).
    if (req.method !== 'GET' && req.method !== 'HEAD' && !ctx.publicUrl.allows(req.headers.origin)) {
      throw forbidden('forbidden', 'Cross-origin request refused.');
    }
  });
  registerApiRoutes(app, services, VERSION);
  registerOpsRoutes(app, {
    metrics: ctx.metrics,
    metricsToken: config.metricsToken,
    db: ctx.db,
    bus,
    draining: () => closed,
  });
  await registerApps(app, config);

  const wss = new WebSocketServer({ noServer: true, maxPayload: SOCKET_MAX_PAYLOAD_BYTES });
  const routes: UpgradeRoutes = {
    link(ws, req, ip) {
      handleLinkSocket({ services, conns, log, config, background }, ws, req, ip);
    },
    device(ws, req, client, ip, socket) {
      handleDeviceSocket(
        { services, conns, log, presence, parseCookies: (h) => app.parseCookie(h ?? '') },
        ws,
        req,
        client,
        ip,
        socket,
      ).catch((err: unknown) => {
        log.error({ err }, 'socket setup failed');
        ws.close(1011, 'Internal error');
      });
    },
  };
  app.server.on(
    'upgrade',
    createUpgradeHandler({
      wss,
      publicUrl: ctx.publicUrl,
      tls: config.tls,
      clientIp: (req) => clientIp(req, config),
      track: (ws) => track(ws),
      log,
      routes,
    }),
  );

  // Heartbeat: drop sockets that stopped answering pings; keep "online" fresh for the others.
  const alive = new WeakMap<WebSocket, boolean>();
  const track = (ws: WebSocket) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    // Protocol violations (oversized or invalid UTF-8 frames) surface as 'error' after ws has already
    // closed the socket; without a listener they would be thrown and take the whole node down.
    ws.on('error', (err) => log.debug({ err: err.message }, 'socket protocol error'));
  };
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
    presence.refresh(conns.deviceIds()).catch((err: unknown) => log.error({ err }, 'online refresh failed'));
  }, HEARTBEAT_MS);
  heartbeat.unref();

  // Idle devices are logged out by a sweep (every node may run it: a revocation happens only once).
  const idleSweep = setInterval(() => {
    services.safety.sweepIdle().catch((err: unknown) => log.error({ err }, 'idle sweep failed'));
  }, config.idleSweepIntervalMs);
  idleSweep.unref();

  let closed = false;
  return {
    app,
    services,
    conns,
    presence,
    async listen() {
      await app.listen({ port: config.port, host: config.host });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      ctx.publicUrl.bind(port);
      return port;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      clearInterval(idleSweep);
      sweep.stop();
      const sockets = [...wss.clients].map(
        (ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())),
      );
      for (const ws of wss.clients) ws.close(CloseCode.goingAway, 'Server shutting down');
      // Give clients a moment to answer the close handshake, then cut the rest.
      await Promise.race([Promise.all(sockets), new Promise((r) => setTimeout(r, 1000))]);
      for (const ws of wss.clients) ws.terminate();
      unsubscribe();
      stopResync();
      stopCountingReconnects();
      await app.close();
      await presence.flush().catch((err: unknown) => log.error({ err }, 'presence flush failed'));
      await services.chats.flush().catch((err: unknown) => log.error({ err }, 'chat flush failed'));
      await Promise.allSettled([...inFlight]);
      await stopCheckpoints();
      await closeContext();
    },
  };
}

function clientIp(req: IncomingMessage, config: Config): string {
  const forwarded = req.headers['x-forwarded-for'];
  const first = config.trustProxy && typeof forwarded === 'string' ? forwarded.split(',')[0]!.trim() : '';
  return first || req.socket.remoteAddress || 'unknown';
}
