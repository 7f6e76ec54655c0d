import { CloseCode } from '@latch/protocol';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config';
import { createHttpApp } from './http/httpApp';
import { BackgroundWork } from './jobs/backgroundWork';
import { startBackgroundCheckpoints } from './jobs/checkpointer';
import { startHeartbeat } from './jobs/heartbeat';
import { startIdleSweep } from './jobs/idleSweep';
import { PresenceWriter } from './jobs/presenceWriter';
import { startRevocationSweep } from './jobs/revocationSweep';
import { openContext, type ServerOverrides } from './openContext';
import type { ServiceContext } from './services/context';
import { createServices, type Services } from './services/services';
import { storeReachable } from './store/database';
import { VERSION } from './version';
import { BusRouter } from './ws/busRouter';
import { Connections } from './ws/connections';
import { attachSocketServer } from './ws/socketServer';

export { openContext, type ServerOverrides } from './openContext';
export { VERSION } from './version';

export interface LatchServer {
  app: FastifyInstance;
  services: Services;
  /** Store, bus, clock and transports behind the services (operators' tools and tests). */
  ctx: ServiceContext;
  conns: Connections;
  /** Batched "online"/"offline" writes of the sockets ({@link PresenceWriter.flush} writes them now). */
  presence: PresenceWriter;
  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number>;
  /** Graceful stop: sockets closed with 1001, HTTP drained, store and bus closed. */
  close(): Promise<void>;
}

/** Wires one node: context, services, HTTP, sockets and the background jobs (`jobs/`). */
export async function createLatchServer(
  config: Config,
  overrides: ServerOverrides = {},
): Promise<LatchServer> {
  const { ctx, close: closeContext } = await openContext(config, overrides);
  const { log, bus, metrics, publicUrl, clock } = ctx;
  // A long-running node checkpoints SQLite's log off the event loop (short CLI runs need not).
  const stopCheckpoints = config.databaseUrl.startsWith('sqlite://')
    ? await startBackgroundCheckpoints(ctx.db, config.databaseUrl.slice('sqlite://'.length), log)
    : async () => {};
  const services = createServices(ctx);
  const conns = new Connections();
  const background = new BackgroundWork(log);
  const presence = new PresenceWriter(services.presence, background.run);
  const router = new BusRouter(conns, services, metrics, log);
  const unsubscribe = bus.subscribe(router.handle);
  const sweep = startRevocationSweep(services.devices, clock, conns, router, log);
  const stopResync = bus.onRecovered(() => {
    log.info({ sockets: conns.size }, 'bus recovered: asking sockets to catch up');
    for (const c of conns.all()) c.send({ type: 'resync' });
  });
  const stopCountingReconnects = bus.onRecovered(() => metrics.busReconnected());
  metrics.collectProcessMetrics();
  metrics.countSocketsWith(() => conns.countByKind());

  let closed = false;
  const app = await createHttpApp({
    config,
    services,
    publicUrl,
    log,
    version: VERSION,
    ops: {
      metrics,
      metricsToken: config.metricsToken,
      storeReachable: () => storeReachable(ctx.db),
      bus,
      draining: () => closed,
    },
  });
  const heartbeat = startHeartbeat({
    sockets: () => wss.clients,
    refreshOnline: () => services.presence.refresh(conns.deviceIds()),
    log,
  });
  const wss = attachSocketServer({
    app,
    config,
    services,
    conns,
    presence,
    publicUrl,
    metrics,
    clock,
    log,
    background: background.run,
    track: heartbeat.track,
  });
  const idleSweep = startIdleSweep(services.safety, config.idleSweepIntervalMs, log);

  return {
    app,
    services,
    ctx,
    conns,
    presence,
    async listen() {
      await app.listen({ port: config.port, host: config.host });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      publicUrl.bind(port);
      return port;
    },
    async close() {
      if (closed) return;
      closed = true;
      heartbeat.stop();
      idleSweep.stop();
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
      await services.messages.flush().catch((err: unknown) => log.error({ err }, 'message flush failed'));
      await services.receipts.flush().catch((err: unknown) => log.error({ err }, 'receipt flush failed'));
      await background.drain();
      await stopCheckpoints();
      await closeContext();
    },
  };
}
