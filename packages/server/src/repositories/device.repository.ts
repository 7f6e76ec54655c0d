import type { ExpressionBuilder, Selectable } from 'kysely';
import type { Db } from '../store/database';
import { PreparedQuery } from '../store/preparedQuery';
import type { Database, DevicesTable } from '../store/schema';

export type DeviceRow = Selectable<DevicesTable>;

/**
 * What a logout writes: no credentials left, and when and why. The secret's hash moves to
 * `revoked_token_hash` (read before the row changes, in the same statement) so that only the
 * device holding the secret is told the reason (SEC-4).
 */
function revokedColumns(eb: ExpressionBuilder<Database, 'devices'>, reason: string, now: number) {
  return {
    revoked_token_hash: eb.ref('token_hash'),
    token_hash: null,
    claim_hash: null,
    claim_expires_at: null,
    revoked_at: now,
    revoked_reason: reason,
    online_until: 0,
  };
}

/** Read twice on every handshake (hot path: compiled once). */
const deviceById = new PreparedQuery(1, (db, id: string) =>
  db.selectFrom('devices').selectAll().where('id', '=', id),
);
const primaryOfAccount = new PreparedQuery(1, (db, accountId: string) =>
  db
    .selectFrom('devices')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('kind', '=', 'primary')
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1),
);

export class DeviceRepository {
  constructor(private readonly db: Db) {}

  findById(id: string, db: Db = this.db): Promise<DeviceRow | undefined> {
    return deviceById.first(db, id);
  }

  /** The account's phone (its active primary device), if any. */
  primaryOf(accountId: string, db: Db = this.db): Promise<DeviceRow | undefined> {
    return primaryOfAccount.first(db, accountId);
  }

  findByClaimHash(claimHash: string, db: Db = this.db): Promise<DeviceRow | undefined> {
    return db.selectFrom('devices').selectAll().where('claim_hash', '=', claimHash).executeTakeFirst();
  }

  async insert(row: DeviceRow, db: Db = this.db): Promise<void> {
    await db.insertInto('devices').values(row).execute();
  }

  /** Every device of an account, active first, newest first. */
  listByAccount(accountId: string, db: Db = this.db): Promise<DeviceRow[]> {
    return db
      .selectFrom('devices')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .execute();
  }

  /** Devices that still hold (or may still claim) credentials. */
  listActive(accountId: string, kind?: DeviceRow['kind'], db: Db = this.db): Promise<DeviceRow[]> {
    let q = db
      .selectFrom('devices')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null);
    if (kind) q = q.where('kind', '=', kind);
    return q.orderBy('created_at', 'desc').execute();
  }

  /**
   * The next `limit` accounts (by id, after `afterAccountId`) that still have a linked companion: the
   * pages of an operator's logout of every computer. The account index serves it in order.
   */
  async listAccountsWithActiveCompanions(
    afterAccountId: string,
    limit: number,
    db: Db = this.db,
  ): Promise<string[]> {
    const rows = await db
      .selectFrom('devices')
      .select('account_id')
      .distinct()
      .where('account_id', '>', afterAccountId)
      .where('revoked_at', 'is', null)
      .where('kind', '=', 'companion')
      .orderBy('account_id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.account_id);
  }

  async setToken(id: string, tokenHash: string, db: Db = this.db): Promise<void> {
    await db
      .updateTable('devices')
      .set({ token_hash: tokenHash, claim_hash: null, claim_expires_at: null })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Deletes the credentials of still-active devices among `ids`; returns the ones it revoked. One
   * conditional UPDATE, so two logouts racing for the same device (on any node) revoke it once.
   */
  async revoke(ids: string[], reason: string, now: number, db: Db = this.db): Promise<DeviceRow[]> {
    if (ids.length === 0) return [];
    return db
      .updateTable('devices')
      .set((eb) => revokedColumns(eb, reason, now))
      .where('id', 'in', ids)
      .where('revoked_at', 'is', null)
      .returningAll()
      .execute();
  }

  /**
   * {@link revoke} for every active companion of these accounts, in one UPDATE (no list of device
   * ids to send back: the account index finds them). Callers keep `accountIds` to a few hundred.
   */
  revokeCompanionsOf(
    accountIds: string[],
    reason: string,
    now: number,
    db: Db = this.db,
  ): Promise<Array<Pick<DeviceRow, 'id' | 'account_id' | 'name'>>> {
    if (accountIds.length === 0) return Promise.resolve([]);
    return db
      .updateTable('devices')
      .set((eb) => revokedColumns(eb, reason, now))
      .where('account_id', 'in', accountIds)
      .where('kind', '=', 'companion')
      .where('revoked_at', 'is', null)
      .returning(['id', 'account_id', 'name'])
      .execute();
  }

  /** Devices revoked at or after `since` (any account), for nodes that may have missed the bus event. */
  revokedSince(
    since: number,
    db: Db = this.db,
  ): Promise<Array<Pick<DeviceRow, 'id' | 'revoked_reason' | 'revoked_at'>>> {
    return db
      .selectFrom('devices')
      .select(['id', 'revoked_reason', 'revoked_at'])
      .where('revoked_at', '>=', since)
      .execute();
  }

  /** How many devices were revoked at or after `since`: the index answers without reading a row. */
  async countRevokedSince(since: number, db: Db = this.db): Promise<number> {
    const row = await db
      .selectFrom('devices')
      .select(({ fn }) => fn.countAll().as('n'))
      .where('revoked_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Per account: the newest activity and whether any device is online, over devices still linked. */
  presence(accountIds: string[], db: Db = this.db) {
    return db
      .selectFrom('devices')
      .select(({ fn }) => [
        'account_id',
        fn.max('last_active_at').as('last_active_at'),
        fn.max('online_until').as('online_until'),
      ])
      .where('account_id', 'in', accountIds)
      .where('revoked_at', 'is', null)
      .groupBy('account_id')
      .execute();
  }

  async rename(id: string, name: string, db: Db = this.db): Promise<void> {
    await db.updateTable('devices').set({ name }).where('id', '=', id).execute();
  }

  async markWiped(id: string, now: number, db: Db = this.db): Promise<void> {
    await db.updateTable('devices').set({ wiped_at: now }).where('id', '=', id).execute();
  }

  async touch(id: string, now: number, onlineUntil: number, db: Db = this.db): Promise<void> {
    await db
      .updateTable('devices')
      .set({ last_active_at: now, online_until: onlineUntil })
      .where('id', '=', id)
      .execute();
  }

  /** {@link touch} for many devices in one statement (the heartbeat refreshes every socket's device). */
  async touchMany(ids: string[], now: number, onlineUntil: number, db: Db = this.db): Promise<void> {
    if (ids.length === 0) return;
    await db
      .updateTable('devices')
      .set({ last_active_at: now, online_until: onlineUntil })
      .where('id', 'in', ids)
      .execute();
  }

  /** Devices whose last socket closed: offline now, last active now (one statement for many). */
  async setOfflineMany(ids: string[], now: number, db: Db = this.db): Promise<void> {
    if (ids.length === 0) return;
    await db
      .updateTable('devices')
      .set({ last_active_at: now, online_until: 0 })
      .where('id', 'in', ids)
      .execute();
  }
}
