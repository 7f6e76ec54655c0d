import type { Selectable } from 'kysely';
import type { Db } from '../store/database';
import type { RateLimitsTable } from '../store/schema';

export type RateLimitRow = Selectable<RateLimitsTable>;

export class RateLimitRepository {
  constructor(private readonly db: Db) {}

  find(key: string, db: Db = this.db): Promise<RateLimitRow | undefined> {
    return db.selectFrom('rate_limits').selectAll().where('key', '=', key).executeTakeFirst();
  }

  async upsert(row: RateLimitRow, db: Db = this.db): Promise<void> {
    await db
      .insertInto('rate_limits')
      .values(row)
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: row.count,
          window_start: row.window_start,
          failures: row.failures,
          lockouts: row.lockouts,
          locked_until: row.locked_until,
        }),
      )
      .execute();
  }

  async delete(key: string, db: Db = this.db): Promise<void> {
    await db.deleteFrom('rate_limits').where('key', '=', key).execute();
  }
}
