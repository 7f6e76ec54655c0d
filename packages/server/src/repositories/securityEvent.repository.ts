import type { Selectable } from 'kysely';
import type { SecurityEvent } from '../domain/securityEvent';
import type { Db } from '../store/database';
import type { SecurityEventsTable } from '../store/schema';

type SecurityEventRow = Selectable<SecurityEventsTable>;

/** Rows per INSERT: 4,000 bound parameters, far below SQLite's 32766. */
const INSERT_BATCH = 500;

function toRow(e: SecurityEvent): SecurityEventRow {
  return {
    id: e.id,
    account_id: e.accountId,
    type: e.type,
    at: e.at,
    device_id: e.deviceId,
    device_name: e.deviceName,
    reason: e.reason,
    ip: e.ip,
  };
}

function fromRow(r: SecurityEventRow): SecurityEvent {
  return {
    id: r.id,
    accountId: r.account_id,
    type: r.type,
    at: r.at,
    deviceId: r.device_id,
    deviceName: r.device_name,
    reason: r.reason,
    ip: r.ip,
  };
}

export class SecurityEventRepository {
  constructor(private readonly db: Db) {}

  async insert(event: SecurityEvent, db: Db = this.db): Promise<void> {
    await db.insertInto('security_events').values(toRow(event)).execute();
  }

  /** Many events in one INSERT per {@link INSERT_BATCH} rows (8 bound parameters a row). */
  async insertMany(events: SecurityEvent[], db: Db = this.db): Promise<void> {
    for (let i = 0; i < events.length; i += INSERT_BATCH) {
      await db
        .insertInto('security_events')
        .values(events.slice(i, i + INSERT_BATCH).map(toRow))
        .execute();
    }
  }

  /** The account's newest events first. */
  async list(accountId: string, limit: number, db: Db = this.db): Promise<SecurityEvent[]> {
    const rows = await db
      .selectFrom('security_events')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(fromRow);
  }
}
