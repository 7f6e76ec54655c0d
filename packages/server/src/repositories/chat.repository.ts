import { type Selectable, sql } from 'kysely';
import type { ReceiptPosition } from '../bus/events';
import type { Db } from '../store/database';
import { isPostgresDb } from '../store/dialect';
import { PreparedQuery } from '../store/preparedQuery';
import type { ChatMembersTable, ChatsTable, MessagesTable } from '../store/schema';

export type ChatRow = Selectable<ChatsTable>;
export type MemberRow = Selectable<ChatMembersTable>;
export type MessageRow = Selectable<MessagesTable>;
export type NewMessage = Omit<MessageRow, 'sync_id'>;

/** Key of the PostgreSQL transaction lock that orders message commits (any constant would do). */
const SYNC_ORDER_LOCK = 0x4c61_7463;

/**
 * What a device linked later may read: in each chat, the last `keep` messages sent before it was
 * linked, and everything after.
 */
export interface HistoryWindow {
  linkedAt: number;
  keep: number;
}

/** `messages.seq` above the chat's last seq before the link, minus `keep` (portable SQL). */
function withinWindow(w: HistoryWindow) {
  return sql<boolean>`messages.seq > coalesce((select max(m2.seq) from messages as m2 where m2.chat_id = messages.chat_id and m2.sent_at < ${w.linkedAt}), 0) - ${w.keep}`;
}

/** Raises one position column, never lowering it. */
const raiseColumn = (column: 'read_seq' | 'delivered_seq') =>
  new PreparedQuery(3, (db, seq: number, chatId: string, accountId: string) =>
    db
      .updateTable('chat_members')
      .set({ [column]: seq })
      .where('chat_id', '=', chatId)
      .where('account_id', '=', accountId)
      .where(column, '<', seq),
  );

/** The statements of every message sent and delivered, compiled once (see {@link PreparedQuery}). */
const hot = {
  members: new PreparedQuery(1, (db, chatId: string) =>
    db.selectFrom('chat_members').selectAll().where('chat_id', '=', chatId),
  ),
  nextSeq: new PreparedQuery(2, (db, now: number, chatId: string) =>
    db
      .updateTable('chats')
      .set({ last_seq: sql`last_seq + 1`, updated_at: now })
      .where('id', '=', chatId)
      .returning('last_seq'),
  ),
  insertMessage: new PreparedQuery(
    8,
    (
      db,
      id: string,
      chat_id: string,
      seq: number,
      sender_account_id: string,
      sender_device_id: string,
      client_msg_id: string,
      body: string,
      sent_at: number,
    ) =>
      db
        .insertInto('messages')
        .values({ id, chat_id, seq, sender_account_id, sender_device_id, client_msg_id, body, sent_at })
        .returning('sync_id'),
  ),
  byClientId: new PreparedQuery(2, (db, senderDeviceId: string, clientMsgId: string) =>
    db
      .selectFrom('messages')
      .selectAll()
      .where('sender_device_id', '=', senderDeviceId)
      .where('client_msg_id', '=', clientMsgId),
  ),
  positions: new PreparedQuery(1, (db, chatId: string) =>
    db
      .selectFrom('chat_members')
      .innerJoin('chats', 'chats.id', 'chat_members.chat_id')
      .select([
        'chat_members.account_id',
        'chat_members.read_seq',
        'chat_members.delivered_seq',
        'chats.last_seq',
      ])
      .where('chat_members.chat_id', '=', chatId),
  ),
  raiseBoth: new PreparedQuery(3, (db, seq: number, chatId: string, accountId: string) =>
    db
      .updateTable('chat_members')
      .set({
        read_seq: sql<number>`case when read_seq < ${seq} then ${seq} else read_seq end`,
        delivered_seq: sql<number>`case when delivered_seq < ${seq} then ${seq} else delivered_seq end`,
      })
      .where('chat_id', '=', chatId)
      .where('account_id', '=', accountId),
  ),
  raiseRead: raiseColumn('read_seq'),
  raiseDelivered: raiseColumn('delivered_seq'),
};

export class ChatRepository {
  constructor(private readonly db: Db) {}

  findChat(id: string, db: Db = this.db): Promise<ChatRow | undefined> {
    return db.selectFrom('chats').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findDirect(directKey: string, db: Db = this.db): Promise<ChatRow | undefined> {
    return db.selectFrom('chats').selectAll().where('direct_key', '=', directKey).executeTakeFirst();
  }

  async insertChat(row: ChatRow, members: MemberRow[], db: Db = this.db): Promise<void> {
    await db.insertInto('chats').values(row).execute();
    await db.insertInto('chat_members').values(members).execute();
  }

  members(chatId: string, db: Db = this.db): Promise<MemberRow[]> {
    return hot.members.rows(db, chatId);
  }

  membership(chatId: string, accountId: string, db: Db = this.db): Promise<MemberRow | undefined> {
    return db
      .selectFrom('chat_members')
      .selectAll()
      .where('chat_id', '=', chatId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  chatsOf(accountId: string, db: Db = this.db): Promise<ChatRow[]> {
    return db
      .selectFrom('chats')
      .innerJoin('chat_members', 'chat_members.chat_id', 'chats.id')
      .selectAll('chats')
      .where('chat_members.account_id', '=', accountId)
      .orderBy('chats.updated_at', 'desc')
      .execute();
  }

  async addMembers(members: MemberRow[], db: Db = this.db): Promise<void> {
    if (members.length === 0) return;
    await db
      .insertInto('chat_members')
      .values(members)
      .onConflict((oc) => oc.columns(['chat_id', 'account_id']).doNothing())
      .execute();
  }

  async removeMember(chatId: string, accountId: string, db: Db = this.db): Promise<void> {
    await db
      .deleteFrom('chat_members')
      .where('chat_id', '=', chatId)
      .where('account_id', '=', accountId)
      .execute();
  }

  async setAdmin(chatId: string, accountId: string, db: Db = this.db): Promise<void> {
    await db
      .updateTable('chat_members')
      .set({ admin: 1 })
      .where('chat_id', '=', chatId)
      .where('account_id', '=', accountId)
      .execute();
  }

  async rename(chatId: string, name: string, now: number, db: Db = this.db): Promise<void> {
    await db.updateTable('chats').set({ name, updated_at: now }).where('id', '=', chatId).execute();
  }

  /** Takes the chat's next sequence number (inside the send's transaction). */
  async nextSeq(chatId: string, now: number, db: Db = this.db): Promise<number> {
    const row = await hot.nextSeq.first(db, now, chatId);
    if (!row) throw new Error(`chat ${chatId} vanished while sending`);
    return Number(row.last_seq);
  }

  /**
   * Stores a message inside the send's transaction; returns its sync id.
   *
   * Devices catch up by sync id ("everything after N"), so no message may commit after one with a
   * higher sync id became visible: a device that had already read past it would skip it for good.
   * SQLite commits one writer at a time, so ids appear in order. PostgreSQL runs sends side by side
   * and its sequence hands out ids before commit, so there each send first takes a lock held until
   * its commit: message writes commit one at a time, in sync id order, on every node. (Sends in one
   * chat already queue on the chat's row in {@link nextSeq}.)
   */
  async insertMessage(row: NewMessage, db: Db = this.db): Promise<number> {
    await this.lockMessageOrder(db);
    const r = await hot.insertMessage.first(
      db,
      row.id,
      row.chat_id,
      row.seq,
      row.sender_account_id,
      row.sender_device_id,
      row.client_msg_id,
      row.body,
      row.sent_at,
    );
    if (!r) throw new Error('message insert returned nothing');
    return Number(r.sync_id);
  }

  findByClientId(
    senderDeviceId: string,
    clientMsgId: string,
    db: Db = this.db,
  ): Promise<MessageRow | undefined> {
    return hot.byClientId.first(db, senderDeviceId, clientMsgId);
  }

  lastMessage(chatId: string, db: Db = this.db): Promise<MessageRow | undefined> {
    return db
      .selectFrom('messages')
      .selectAll()
      .where('chat_id', '=', chatId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Newest first below `beforeSeq`, returned oldest first. */
  async history(
    chatId: string,
    beforeSeq: number | undefined,
    limit: number,
    window: HistoryWindow | null = null,
    db: Db = this.db,
  ) {
    let q = db.selectFrom('messages').selectAll().where('chat_id', '=', chatId);
    if (beforeSeq !== undefined) q = q.where('seq', '<', beforeSeq);
    if (window) q = q.where(withinWindow(window));
    const rows = await q.orderBy('seq', 'desc').limit(limit).execute();
    return rows.reverse();
  }

  /** Every message in the account's chats after a global cursor, in commit order. */
  syncAfter(
    accountId: string,
    afterSyncId: number,
    limit: number,
    window: HistoryWindow | null = null,
    db: Db = this.db,
  ): Promise<MessageRow[]> {
    let q = db
      .selectFrom('messages')
      .innerJoin('chat_members', 'chat_members.chat_id', 'messages.chat_id')
      .selectAll('messages')
      .where('chat_members.account_id', '=', accountId)
      .where('messages.sync_id', '>', afterSyncId);
    if (window) q = q.where(withinWindow(window));
    return q.orderBy('messages.sync_id', 'asc').limit(limit).execute();
  }

  /** Every member's read and delivered position, with the chat's last seq (for the ticks). */
  async positions(
    chatId: string,
    db: Db = this.db,
  ): Promise<{ lastSeq: number; positions: ReceiptPosition[] }> {
    const rows = await hot.positions.rows(db, chatId);
    return {
      lastSeq: Number(rows[0]?.last_seq ?? 0),
      positions: rows.map((r) => ({
        accountId: r.account_id,
        readSeq: Number(r.read_seq),
        deliveredSeq: Number(r.delivered_seq),
      })),
    };
  }

  /** The sender has read (and so received) what it wrote: both positions up to `seq` in one statement. */
  async raiseBoth(chatId: string, accountId: string, seq: number, db: Db = this.db): Promise<void> {
    await hot.raiseBoth.execute(db, seq, chatId, accountId);
  }

  /**
   * Takes the PostgreSQL lock that orders message commits (see {@link insertMessage}) up front, before
   * any chat row: a transaction writing messages into several chats then cannot deadlock with another.
   */
  async lockMessageOrder(db: Db): Promise<void> {
    if (isPostgresDb(db)) await sql`select pg_advisory_xact_lock(${sql.lit(SYNC_ORDER_LOCK)})`.execute(db);
  }

  /** Raises a member's read or delivered position; never lowers it. Returns true when it moved. */
  async raise(
    chatId: string,
    accountId: string,
    column: 'read_seq' | 'delivered_seq',
    seq: number,
    db: Db = this.db,
  ): Promise<boolean> {
    const query = column === 'read_seq' ? hot.raiseRead : hot.raiseDelivered;
    const r = await query.execute(db, seq, chatId, accountId);
    return Number(r.numAffectedRows ?? 0) > 0;
  }
}
