import type { Logger } from 'pino';
import { openBus } from './bus/memoryBus';
import { type Clock, systemClock } from './clock';
import type { Config } from './config';
import { createLogger } from './logger';
import { openObservability } from './observability';
import { PublicUrl } from './publicUrl';
import { makeRepositories, type ServiceContext } from './services/context';
import { RateLimiter } from './services/rateLimiter';
import { ConsoleEmail, type EmailTransport, WebhookEmail } from './sms/emailTransport';
import { ConsoleSms, type SmsTransport, WebhookSms } from './sms/smsTransport';
import { openDatabase } from './store/database';
import { VERSION } from './version';

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
