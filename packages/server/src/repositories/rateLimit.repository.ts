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

  /**
   * Adds one failure atomically (one statement, so concurrent guesses are all counted, on any node)
   * and returns the row as it now stands.
   */
  async addFailure(key: string, now: number, db: Db = this.db): Promise<RateLimitRow> {
    return db
      .insertInto('rate_limits')
      .values({ key, count: 0, window_start: now, failures: 1, lockouts: 0, locked_until: 0 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({ failures: eb('rate_limits.failures', '+', 1) })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async lockUntil(key: string, lockedUntil: number, lockouts: number, db: Db = this.db): Promise<void> {
    await db
      .updateTable('rate_limits')
      .set({ locked_until: lockedUntil, lockouts })
      .where('key', '=', key)
      .execute();
  }

  async delete(key: string, db: Db = this.db): Promise<void> {
    await db.deleteFrom('rate_limits').where('key', '=', key).execute();
  }
}
