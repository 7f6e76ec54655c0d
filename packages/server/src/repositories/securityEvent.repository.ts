import type { Selectable } from 'kysely';
import type { Db } from '../store/database';
import type { SecurityEventsTable } from '../store/schema';

export type SecurityEventRow = Selectable<SecurityEventsTable>;

/** Rows per INSERT: 4,000 bound parameters, far below SQLite's 32766. */
const INSERT_BATCH = 500;

export class SecurityEventRepository {
  constructor(private readonly db: Db) {}

  async insert(row: SecurityEventRow, db: Db = this.db): Promise<void> {
    await db.insertInto('security_events').values(row).execute();
  }

  /** Many events in one INSERT per {@link INSERT_BATCH} rows (8 bound parameters a row). */
  async insertMany(rows: SecurityEventRow[], db: Db = this.db): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      await db
        .insertInto('security_events')
        .values(rows.slice(i, i + INSERT_BATCH))
        .execute();
    }
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
