import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../store/database';
import type { LinkRefsTable, LinkSessionsTable } from '../store/schema';

export type LinkSessionRow = Selectable<LinkSessionsTable>;
export type LinkRefRow = Selectable<LinkRefsTable>;

const UNBOUND = {
  previewed_by: null,
  previewed_ref_hash: null,
  match_number: null,
  match_choices: null,
} as const;
const NO_CODE = {
  code_hash: null,
  code_account_id: null,
  code_issued_at: null,
  code_expires_at: null,
} as const;

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
   * (already approved or closed), or no longer previewed by `previewedBy` with this number to match:
   * the check and the change are one statement.
   */
  async markApproved(
    id: string,
    deviceId: string,
    previewed: { by: string; matchNumber: number | null },
    db: Db = this.db,
  ): Promise<boolean> {
    const r = await db
      .updateTable('link_sessions')
      .set({ state: 'approved', device_id: deviceId, code_hash: null })
      .where('id', '=', id)
      .where('state', '=', 'waiting')
      .where('previewed_by', '=', previewed.by)
      .where((eb) =>
        previewed.matchNumber === null
          ? eb('match_number', 'is', null)
          : eb('match_number', '=', previewed.matchNumber),
      )
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * LNK-14: the first phone to preview a waiting attempt becomes the only one that may decide on it.
   * Returns false when another phone already did (or the attempt is no longer waiting).
   */
  async bindPreview(
    id: string,
    preview: {
      by: string;
      refHash: string | null;
      matchNumber: number | null;
      matchChoices: string | null;
    },
    db: Db = this.db,
  ): Promise<boolean> {
    const r = await db
      .updateTable('link_sessions')
      .set({
        previewed_by: preview.by,
        previewed_ref_hash: preview.refHash,
        match_number: preview.matchNumber,
        match_choices: preview.matchChoices,
      })
      .where('id', '=', id)
      .where('state', '=', 'waiting')
      .where('previewed_by', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Ends the preview of a waiting attempt by phone `by` (declined, or the wrong number picked): forgets
   * the phone, the number and any linking code. With `matchNumber`, only while that is still the number
   * to match. Returns false when nothing matched: the check and the change are one statement.
   */
  async endPreview(
    id: string,
    by: string,
    matchNumber: number | null = null,
    db: Db = this.db,
  ): Promise<boolean> {
    let q = db
      .updateTable('link_sessions')
      .set({ ...UNBOUND, ...NO_CODE })
      .where('id', '=', id)
      .where('state', '=', 'waiting')
      .where('previewed_by', '=', by);
    if (matchNumber !== null) q = q.where('match_number', '=', matchNumber);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Switches an attempt's method (LNK-15): sets or clears its linking code, and forgets any preview,
   * so nothing shown before the switch can still be approved.
   */
  async switchMethod(
    id: string,
    code: Pick<
      Updateable<LinkSessionsTable>,
      'code_hash' | 'code_account_id' | 'code_issued_at' | 'code_expires_at'
    > | null,
    db: Db = this.db,
  ): Promise<void> {
    await db
      .updateTable('link_sessions')
      .set({ ...UNBOUND, ...(code ?? NO_CODE) })
      .where('id', '=', id)
      .where('state', '=', 'waiting')
      .execute();
  }

  /** Every live ref of an attempt expires now (LNK-14/15): an old QR can no longer be previewed. */
  async retireRefs(linkId: string, now: number, db: Db = this.db): Promise<void> {
    await db
      .updateTable('link_refs')
      .set({ expires_at: now })
      .where('link_id', '=', linkId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .execute();
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
