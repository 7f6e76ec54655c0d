import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../store/database';
import type { LinkRefsTable, LinkSessionsTable } from '../store/schema';

export type LinkSessionRow = Selectable<LinkSessionsTable>;
export type LinkRefRow = Selectable<LinkRefsTable>;

export class LinkRepository {
  constructor(private readonly db: Db) {}

  async insertSession(row: LinkSessionRow, db: Db = this.db): Promise<void> {
    await db.insertInto('link_sessions').values(row).execute();
  }

  findSession(id: string, db: Db = this.db): Promise<LinkSessionRow | undefined> {
    return db.selectFrom('link_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findSessionByCode(codeHash: string, db: Db = this.db): Promise<LinkSessionRow | undefined> {
    return db.selectFrom('link_sessions').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
  }

  async updateSession(id: string, set: Updateable<LinkSessionsTable>, db: Db = this.db): Promise<void> {
    await db.updateTable('link_sessions').set(set).where('id', '=', id).execute();
  }

  /**
   * Marks a waiting attempt approved by `deviceId`. Returns false when it was no longer waiting
   * (already approved or closed): the check and the change are one statement.
   */
  async markApproved(id: string, deviceId: string, db: Db = this.db): Promise<boolean> {
    const r = await db
      .updateTable('link_sessions')
      .set({ state: 'approved', device_id: deviceId, code_hash: null })
      .where('id', '=', id)
      .where('state', '=', 'waiting')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async insertRef(row: LinkRefRow, db: Db = this.db): Promise<void> {
    await db.insertInto('link_refs').values(row).execute();
  }

  findRef(refHash: string, db: Db = this.db): Promise<LinkRefRow | undefined> {
    return db.selectFrom('link_refs').selectAll().where('ref_hash', '=', refHash).executeTakeFirst();
  }

  /** The newest ref of a link attempt. */
  latestRef(linkId: string, db: Db = this.db): Promise<LinkRefRow | undefined> {
    return db
      .selectFrom('link_refs')
      .selectAll()
      .where('link_id', '=', linkId)
      .orderBy('issued_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async extendRef(refHash: string, expiresAt: number, db: Db = this.db): Promise<void> {
    await db
      .updateTable('link_refs')
      .set({ expires_at: expiresAt })
      .where('ref_hash', '=', refHash)
      .execute();
  }

  /** Marks every ref of a link attempt used, so none can be approved twice. */
  async useRefs(linkId: string, now: number, db: Db = this.db): Promise<void> {
    await db
      .updateTable('link_refs')
      .set({ used_at: now })
      .where('link_id', '=', linkId)
      .where('used_at', 'is', null)
      .execute();
  }

  /** Drops finished attempts older than `before` (their refs first). */
  async purge(before: number, db: Db = this.db): Promise<void> {
    await db.deleteFrom('link_refs').where('expires_at', '<', before).execute();
    await db
      .deleteFrom('link_sessions')
      .where('created_at', '<', before)
      .where('state', '!=', 'approved')
      .execute();
  }
}
