import type { Selectable } from 'kysely';
import type { Db } from '../store/database';
import type { AccountsTable } from '../store/schema';

export type AccountRow = Selectable<AccountsTable>;

export class AccountRepository {
  constructor(private readonly db: Db) {}

  findById(id: string, db: Db = this.db): Promise<AccountRow | undefined> {
    return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
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

  listByIds(ids: string[], db: Db = this.db): Promise<AccountRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('accounts').selectAll().where('id', 'in', ids).execute();
  }
}
