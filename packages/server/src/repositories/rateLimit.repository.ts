import { type RawBuilder, type Selectable, sql } from 'kysely';
import type { Db } from '../store/database';
import type { RateLimitsTable } from '../store/schema';

export type RateLimitRow = Selectable<RateLimitsTable>;

/** How one failure counter counts: from which failure in a row it waits, how long, and when it closes. */
export interface FailureCounting {
  /** The failure in a row that starts the first wait. */
  lockFrom: number;
  /** The waits (ms) that this failure and each next one start; the last one repeats. */
  waits: readonly number[];
  /** Failures in a row from which on nothing is let through (until a reset); none when absent. */
  closeAfter?: number | undefined;
}

/** The wait (ms) that the `failures`-th failure in a row starts; 0 for none. */
export function waitAfterFailure(failures: number, counting: FailureCounting): number {
  if (failures < counting.lockFrom || counting.waits.length === 0) return 0;
  return counting.waits[Math.min(failures - counting.lockFrom, counting.waits.length - 1)]!;
}

/** A millisecond time or duration as a bigint on both stores (PostgreSQL would guess integer). */
const bigint = (ms: number): RawBuilder<number> => sql<number>`cast(${ms} as bigint)`;

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
   * Reserves one attempt against a failure counter, in one statement: unless the key is locked
   * (`locked_until` after `now`) or closed, the attempt is counted as a failure in a row, and the
   * wait that failure would start is set at once. Returns the row as it now stands, or undefined when
   * refused. Concurrent callers on any node queue on the row, so each sees the others' attempts.
   */
  reserveFailure(
    key: string,
    now: number,
    counting: FailureCounting,
    db: Db = this.db,
  ): Promise<RateLimitRow | undefined> {
    const firstLock = waitAfterFailure(1, counting);
    return db
      .insertInto('rate_limits')
      .values({
        key,
        count: 0,
        window_start: now,
        failures: 1,
        lockouts: firstLock > 0 ? 1 : 0,
        locked_until: firstLock > 0 ? now + firstLock : 0,
      })
      .onConflict((oc) => {
        const update = oc.column('key').doUpdateSet((eb) => ({
          failures: eb('rate_limits.failures', '+', 1),
          locked_until: lockedUntilAfterFailure(now, counting),
          lockouts: sql<number>`case when rate_limits.failures + 1 >= ${counting.lockFrom} then rate_limits.lockouts + 1 else rate_limits.lockouts end`,
        }));
        const open = update.where('rate_limits.locked_until', '<=', now);
        return counting.closeAfter === undefined
          ? open
          : open.where('rate_limits.failures', '<', counting.closeAfter);
      })
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Counts one event against a fixed-window quota in one statement: a window older than `windowMs`
   * starts over; a full window refuses (undefined) and is not extended by the refusal.
   */
  consume(
    key: string,
    now: number,
    limit: number,
    windowMs: number,
    db: Db = this.db,
  ): Promise<RateLimitRow | undefined> {
    const expired = sql<boolean>`rate_limits.window_start <= ${bigint(now - windowMs)}`;
    return db
      .insertInto('rate_limits')
      .values({ key, count: 1, window_start: now, failures: 0, lockouts: 0, locked_until: 0 })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({
            count: sql<number>`case when ${expired} then 1 else rate_limits.count + 1 end`,
            window_start: sql<number>`case when ${expired} then ${bigint(now)} else rate_limits.window_start end`,
          })
          .where((eb) => eb.or([expired, eb('rate_limits.count', '<', limit)])),
      )
      .returningAll()
      .executeTakeFirst();
  }

  /** Runs `work` in one transaction: reservations on several keys count together or not at all. */
  transaction<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async delete(key: string, db: Db = this.db): Promise<void> {
    await db.deleteFrom('rate_limits').where('key', '=', key).execute();
  }

  async deleteMany(keys: string[], db: Db = this.db): Promise<void> {
    if (keys.length > 0) await db.deleteFrom('rate_limits').where('key', 'in', keys).execute();
  }
}

/**
 * `locked_until` once the row's next failure is counted, as SQL over the stored `failures` (the
 * count before this one): unchanged before `lockFrom`, else `now` plus that failure's wait.
 */
function lockedUntilAfterFailure(now: number, counting: FailureCounting): RawBuilder<number> {
  const { lockFrom, waits } = counting;
  if (waits.length === 0) return sql<number>`rate_limits.locked_until`;
  const arms = waits
    .slice(0, -1)
    .map((wait, i) => sql`when rate_limits.failures + 1 = ${lockFrom + i} then ${bigint(now + wait)}`);
  return sql<number>`case when rate_limits.failures + 1 < ${lockFrom} then rate_limits.locked_until ${sql.join(arms, sql` `)} else ${bigint(now + waits.at(-1)!)} end`;
}
