import type { Selectable } from 'kysely';
import type { Db } from '../store/database';
import type { SecurityEventsTable } from '../store/schema';

export type SecurityEventRow = Selectable<SecurityEventsTable>;

export class SecurityEventRepository {
  constructor(private readonly db: Db) {}

  async insert(row: SecurityEventRow, db: Db = this.db): Promise<void> {
    await db.insertInto('security_events').values(row).execute();
  }

  list(accountId: string, limit: number, db: Db = this.db): Promise<SecurityEventRow[]> {
    return db
      .selectFrom('security_events')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('at', 'desc')
      .limit(limit)
      .execute();
  }
}
