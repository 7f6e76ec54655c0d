import type { Logger } from 'pino';
import type { AuditLog } from '../audit';
import type { Bus, BusEvent } from '../bus/events';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Metrics } from '../metrics';
import type { PublicUrl } from '../publicUrl';
import { AccountRepository } from '../repositories/account.repository';
import { ChatRepository } from '../repositories/chat.repository';
import { DeviceRepository } from '../repositories/device.repository';
import { LinkRepository } from '../repositories/link.repository';
import { RateLimitRepository } from '../repositories/rateLimit.repository';
import { SecurityEventRepository } from '../repositories/securityEvent.repository';
import { VerificationRepository } from '../repositories/verification.repository';
import type { EmailTransport } from '../sms/emailTransport';
import type { SmsTransport } from '../sms/smsTransport';
import type { Db } from '../store/database';
import type { RateLimiter } from './rateLimiter';

export interface Repositories {
  accounts: AccountRepository;
  devices: DeviceRepository;
  verification: VerificationRepository;
  rateLimits: RateLimitRepository;
  links: LinkRepository;
  securityEvents: SecurityEventRepository;
  chats: ChatRepository;
}

/** What every service may use. Built once per node. */
export interface ServiceContext {
  db: Db;
  repos: Repositories;
  clock: Clock;
  bus: Bus;
  config: Config;
  /** Where people reach this node: every absolute URL and the origin check come from it (SEC-5). */
  publicUrl: PublicUrl;
  log: Logger;
  sms: SmsTransport;
  email: EmailTransport;
  limiter: RateLimiter;
  /** Prometheus series of this node (GET /metrics). */
  metrics: Metrics;
  /** The security audit stream (AUDIT_LOG). */
  audit: AuditLog;
}

export function makeRepositories(db: Db): Repositories {
  return {
    accounts: new AccountRepository(db),
    devices: new DeviceRepository(db),
    verification: new VerificationRepository(db),
    rateLimits: new RateLimitRepository(db),
    links: new LinkRepository(db),
    securityEvents: new SecurityEventRepository(db),
    chats: new ChatRepository(db),
  };
}

/**
 * Runs `work` in one transaction and publishes the events it collected only after the commit:
 * no node ever reacts to a change that could still roll back.
 */
export async function inTransaction<T>(
  ctx: ServiceContext,
  work: (trx: Db, publish: (e: BusEvent) => void) => Promise<T>,
): Promise<T> {
  const events: BusEvent[] = [];
  const result = await ctx.db.transaction().execute((trx) => work(trx, (e) => events.push(e)));
  for (const e of events) await ctx.bus.publish(e);
  return result;
}
