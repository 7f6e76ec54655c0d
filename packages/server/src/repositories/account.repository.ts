import type { Selectable, Updateable } from 'kysely';
import type { AccountSummary } from '../domain/account';
import type { Db } from '../store/database';
import { isPostgresDb } from '../store/dialect';
import { PreparedQuery } from '../store/preparedQuery';
import type { AccountsTable } from '../store/schema';

export type AccountRow = Selectable<AccountsTable>;

/** A new account's row: no name, no PIN, idle logout after 30 days, nothing reviewed or dismissed yet. */
export function freshAccount(
  fields: Pick<AccountRow, 'id' | 'phone_number' | 'created_at'> & Partial<AccountRow>,
): AccountRow {
  return {
    name: '',
    pin_hash: null,
    idle_logout_days: 30,
    pin_set_at: null,
    pin_last_used_at: null,
    recovery_email: null,
    pin_reset_token_hash: null,
    pin_reset_expires_at: null,
    pin_reset_available_at: null,
    pin_reminder_at: null,
    devices_reviewed_at: null,
    ...fields,
  };
}

/** Read on every handshake (hot path: compiled once). */
const accountById = new PreparedQuery(1, (db, id: string) =>
  db.selectFrom('accounts').selectAll().where('id', '=', id),
);

export class AccountRepository {
  constructor(private readonly db: Db) {}

  findById(id: string, db: Db = this.db): Promise<AccountRow | undefined> {
    return accountById.first(db, id);
  }

  findByPhone(phoneNumber: string, db: Db = this.db): Promise<AccountRow | undefined> {
    return db.selectFrom('accounts').selectAll().where('phone_number', '=', phoneNumber).executeTakeFirst();
  }

  async insert(row: AccountRow, db: Db = this.db): Promise<void> {
    await db.insertInto('accounts').values(row).execute();
  }

  async setName(id: string, name: string, db: Db = this.db): Promise<void> {
    await db.updateTable('accounts').set({ name }).where('id', '=', id).execute();
  }

  async update(id: string, set: Updateable<AccountsTable>, db: Db = this.db): Promise<void> {
    await db.updateTable('accounts').set(set).where('id', '=', id).execute();
  }

  findByResetToken(tokenHash: string, db: Db = this.db): Promise<AccountRow | undefined> {
    return db
      .selectFrom('accounts')
      .selectAll()
      .where('pin_reset_token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  /** Accounts that have at least one active companion (for the idle sweep). */
  listWithCompanions(db: Db = this.db): Promise<AccountRow[]> {
    return db
      .selectFrom('accounts')
      .selectAll()
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('devices')
            .select('devices.id')
            .whereRef('devices.account_id', '=', 'accounts.id')
            .where('devices.kind', '=', 'companion')
            .where('devices.revoked_at', 'is', null),
        ),
      )
      .execute();
  }

  /**
   * Holds the account's row until the transaction ends, so a check followed by a write on the same
   * account (the companion cap, installing a primary) runs one at a time across every node. SQLite
   * needs nothing: it has a single writer, and Kysely runs its transactions one after another.
   */
  async lockAccount(id: string, trx: Db): Promise<void> {
    if (!isPostgresDb(trx)) return;
    await trx.selectFrom('accounts').select('id').where('id', '=', id).forUpdate().execute();
  }

  /** Every account, oldest first, with its devices not logged out (the operator's list). */
  async listSummaries(db: Db = this.db): Promise<AccountSummary[]> {
    const rows = await db
      .selectFrom('accounts')
      .leftJoin('devices', (j) =>
        j.onRef('devices.account_id', '=', 'accounts.id').on('devices.revoked_at', 'is', null),
      )
      .select(({ fn }) => [
        'accounts.phone_number',
        'accounts.name',
        'accounts.created_at',
        fn.count('devices.id').as('devices'),
      ])
      .groupBy(['accounts.id', 'accounts.phone_number', 'accounts.name', 'accounts.created_at'])
      .orderBy('accounts.created_at')
      .execute();
    return rows.map((r) => ({
      phoneNumber: r.phone_number,
      name: r.name,
      createdAt: Number(r.created_at),
      activeDevices: Number(r.devices),
    }));
  }

  listByIds(ids: string[], db: Db = this.db): Promise<AccountRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('accounts').selectAll().where('id', 'in', ids).execute();
  }
}
