import { type Selectable, sql } from 'kysely';
import type { Db } from '../store/database';
import type { ChatMembersTable, ChatsTable, MessagesTable } from '../store/schema';

export type ChatRow = Selectable<ChatsTable>;
export type MemberRow = Selectable<ChatMembersTable>;
export type MessageRow = Selectable<MessagesTable>;
export type NewMessage = Omit<MessageRow, 'sync_id'>;

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
    return db.selectFrom('chat_members').selectAll().where('chat_id', '=', chatId).execute();
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

  /** Takes the chat's next sequence number (inside the send's transaction). */
  async nextSeq(chatId: string, now: number, db: Db = this.db): Promise<number> {
    const row = await db
      .updateTable('chats')
      .set({ last_seq: sql`last_seq + 1`, updated_at: now })
      .where('id', '=', chatId)
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    return Number(row.last_seq);
  }

  async insertMessage(row: NewMessage, db: Db = this.db): Promise<number> {
    const r = await db.insertInto('messages').values(row).returning('sync_id').executeTakeFirstOrThrow();
    return Number(r.sync_id);
  }

  findByClientId(
    senderDeviceId: string,
    clientMsgId: string,
    db: Db = this.db,
  ): Promise<MessageRow | undefined> {
    return db
      .selectFrom('messages')
      .selectAll()
      .where('sender_device_id', '=', senderDeviceId)
      .where('client_msg_id', '=', clientMsgId)
      .executeTakeFirst();
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
  async history(chatId: string, beforeSeq: number | undefined, limit: number, db: Db = this.db) {
    let q = db.selectFrom('messages').selectAll().where('chat_id', '=', chatId);
    if (beforeSeq !== undefined) q = q.where('seq', '<', beforeSeq);
    const rows = await q.orderBy('seq', 'desc').limit(limit).execute();
    return rows.reverse();
  }

  /** Every message in the account's chats after a global cursor, in commit order. */
  syncAfter(accountId: string, afterSyncId: number, limit: number, db: Db = this.db): Promise<MessageRow[]> {
    return db
      .selectFrom('messages')
      .innerJoin('chat_members', 'chat_members.chat_id', 'messages.chat_id')
      .selectAll('messages')
      .where('chat_members.account_id', '=', accountId)
      .where('messages.sync_id', '>', afterSyncId)
      .orderBy('messages.sync_id', 'asc')
      .limit(limit)
      .execute();
  }

  /** Raises a member's read or delivered position; never lowers it. Returns true when it moved. */
  async raise(
    chatId: string,
    accountId: string,
    column: 'read_seq' | 'delivered_seq',
    seq: number,
    db: Db = this.db,
  ): Promise<boolean> {
    const r = await db
      .updateTable('chat_members')
      .set({ [column]: seq })
      .where('chat_id', '=', chatId)
      .where('account_id', '=', accountId)
      .where(column, '<', seq)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
