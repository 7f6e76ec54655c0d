import { randomBytes } from 'node:crypto';
import { type SecurityEventType, type SecurityEventView, toBase64Url } from '@latch/protocol';
import type { BusEvent } from '../bus/events';
import { newId } from '../crypto';
import type { SecurityEvent } from '../domain/securityEvent';
import { presentSecurityEvent } from '../presenters/securityEvent.presenter';
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

/** The size of {@link newId}'s ids. */
const ID_BYTES = 16;

function newEvent(input: SecurityEventInput, at: number, id = newId()): SecurityEvent {
  return {
    id,
    accountId: input.accountId,
    type: input.type,
    at,
    deviceId: input.deviceId ?? null,
    deviceName: input.deviceName ?? null,
    reason: input.reason ?? null,
    ip: input.ip ?? null,
  };
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
    const stored = newEvent(input, this.ctx.clock.now());
    await this.ctx.repos.securityEvents.insert(stored, trx);
    const event = presentSecurityEvent(stored);
    publish({ type: 'security.event', accountId: input.accountId, event });
    return event;
  }

  /**
   * {@link record} for many events at once (an operator's mass logout): batched INSERTs inside the
   * caller's transaction, one live notification queued per event.
   */
  async recordMany(trx: Db, inputs: SecurityEventInput[], publish: (e: BusEvent) => void): Promise<void> {
    const at = this.ctx.clock.now();
    // One draw of entropy for all the ids: a randomBytes call per id was a tenth of a 10k logout.
    const entropy = randomBytes(ID_BYTES * inputs.length);
    const events = inputs.map((input, i) =>
      newEvent(input, at, toBase64Url(entropy.subarray(i * ID_BYTES, (i + 1) * ID_BYTES))),
    );
    await this.ctx.repos.securityEvents.insertMany(events, trx);
    for (const e of events) {
      publish({ type: 'security.event', accountId: e.accountId, event: presentSecurityEvent(e) });
    }
  }

  async list(accountId: string): Promise<SecurityEventView[]> {
    const events = await this.ctx.repos.securityEvents.list(accountId, 200);
    return events.map(presentSecurityEvent);
  }
}
