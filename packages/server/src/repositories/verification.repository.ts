import type { Selectable } from 'kysely';
import type { Db } from '../store/database';
import type { VerificationCodesTable } from '../store/schema';

export type VerificationRow = Selectable<VerificationCodesTable>;

export class VerificationRepository {
  constructor(private readonly db: Db) {}

  find(phoneNumber: string, db: Db = this.db): Promise<VerificationRow | undefined> {
    return db
      .selectFrom('verification_codes')
      .selectAll()
      .where('phone_number', '=', phoneNumber)
      .executeTakeFirst();
  }

  async put(row: VerificationRow, db: Db = this.db): Promise<void> {
    await db
      .insertInto('verification_codes')
      .values(row)
      .onConflict((oc) =>
        oc.column('phone_number').doUpdateSet({
          code_hash: row.code_hash,
          expires_at: row.expires_at,
          attempts: row.attempts,
          sent_at: row.sent_at,
        }),
      )
      .execute();
  }

  async countAttempt(phoneNumber: string, db: Db = this.db): Promise<void> {
    await db
      .updateTable('verification_codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('phone_number', '=', phoneNumber)
      .execute();
  }

  async delete(phoneNumber: string, db: Db = this.db): Promise<void> {
    await db.deleteFrom('verification_codes').where('phone_number', '=', phoneNumber).execute();
  }
}
