import { parseConfig } from './config';
import { createLatchServer } from './server';

const config = parseConfig(process.env);
const server = await createLatchServer(config);
const port = await server.listen();
server.app.log.info(
  { port, host: config.host, dataDir: config.dataDir },
  `Latch is up: ${server.ctx.publicUrl.to('/phone')}`,
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        server.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

// logrotate moved the audit file: write to a new one at the configured path.
process.on('SIGHUP', () => server.ctx.audit.reopen());
