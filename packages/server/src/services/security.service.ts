import type { SecurityEventType, SecurityEventView } from '@latch/protocol';
import type { BusEvent } from '../bus/events';
import { newId } from '../crypto';
import { presentSecurityEvent } from '../presenters';
import type { Db } from '../store/database';
import type { ServiceContext } from './context';

export interface SecurityEventInput {
  accountId: string;
  type: SecurityEventType;
  deviceId?: string | null;
  deviceName?: string | null;
  reason?: string | null;
  ip?: string | null;
}

/** The account's security log: every link, logout, wipe and PIN event, readable on the phone. */
export class SecurityService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Writes an event inside the caller's transaction and queues its live notification. */
  async record(
    trx: Db,
    input: SecurityEventInput,
    publish: (e: BusEvent) => void,
  ): Promise<SecurityEventView> {
    const row = {
      id: newId(),
      account_id: input.accountId,
      type: input.type,
      at: this.ctx.clock.now(),
      device_id: input.deviceId ?? null,
      device_name: input.deviceName ?? null,
      reason: input.reason ?? null,
      ip: input.ip ?? null,
    };
    await this.ctx.repos.securityEvents.insert(row, trx);
    const event = presentSecurityEvent(row);
    publish({ type: 'security.event', accountId: input.accountId, event });
    return event;
  }

  async list(accountId: string): Promise<SecurityEventView[]> {
    const rows = await this.ctx.repos.securityEvents.list(accountId, 200);
    return rows.map(presentSecurityEvent);
  }
}
