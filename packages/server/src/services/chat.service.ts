import type { ChatView } from '@latch/protocol';
import { newId } from '../crypto';
import { AppError, badRequest, notFound } from '../errors';
import { presentChat } from '../presenters/chat.presenter';
import type { AccountRow } from '../repositories/account.repository';
import type { ChatRow, MemberRow } from '../repositories/chat.repository';
import { inTransaction, type ServiceContext } from './context';

/** The caller is not (or no longer) a member of the chat. */
export const notMember = () => new AppError(403, 'not_member', 'You are not in this chat.');

/** Chats and their members: listing, opening, creating, typing. Messages: `MessageService`. */
export class ChatService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(accountId: string): Promise<ChatView[]> {
    const chats = await this.ctx.repos.chats.chatsOf(accountId);
    return Promise.all(chats.map((c) => this.view(c, accountId)));
  }

  async get(chatId: string, accountId: string): Promise<ChatView> {
    const chat = await this.ctx.repos.chats.findChat(chatId);
    if (!chat) throw notFound('chat_not_found', 'No such chat.');
    if (!(await this.ctx.repos.chats.membership(chatId, accountId))) throw notMember();
    return this.view(chat, accountId);
  }

  /** The chat view as one member sees it: title, ticks, unread position. */
  async view(chat: ChatRow, accountId: string): Promise<ChatView> {
    const { repos } = this.ctx;
    const members = await repos.chats.members(chat.id);
    const accounts = new Map(
      (await repos.accounts.listByIds(members.map((m) => m.account_id))).map((a) => [a.id, a]),
    );
    const last = await repos.chats.lastMessage(chat.id);
    return presentChat({ chat, members, accounts, last }, accountId);
  }

  /** Finds or starts the one direct chat between this account and a registered number. */
  async openDirect(accountId: string, phoneNumber: string): Promise<ChatView> {
    const { repos, clock } = this.ctx;
    const other = await repos.accounts.findByPhone(phoneNumber);
    if (!other) throw notFound('not_registered', `${phoneNumber} is not on Latch yet.`);
    if (other.id === accountId) throw badRequest('That is your own number.');
    const directKey = [accountId, other.id].sort().join(':');
    const existing = await repos.chats.findDirect(directKey);
    if (existing) return this.view(existing, accountId);
    const now = clock.now();
    const chat: ChatRow = {
      id: newId(),
      kind: 'direct',
      name: '',
      direct_key: directKey,
      last_seq: 0,
      created_at: now,
      updated_at: now,
    };
    await inTransaction(this.ctx, async (trx, publish) => {
      await repos.chats.insertChat(
        chat,
        [member(chat.id, accountId, false, now), member(chat.id, other.id, false, now)],
        trx,
      );
      publish({ type: 'chat.changed', accountIds: [accountId, other.id], chatId: chat.id });
    });
    return this.view(chat, accountId);
  }

  async createGroup(accountId: string, name: string, phoneNumbers: string[]): Promise<ChatView> {
    const { repos, clock } = this.ctx;
    const found: AccountRow[] = [];
    for (const phone of new Set(phoneNumbers)) {
      const a = await repos.accounts.findByPhone(phone);
      if (!a) throw notFound('not_registered', `${phone} is not on Latch yet.`);
      if (a.id !== accountId) found.push(a);
    }
    if (found.length === 0) throw badRequest('Add at least one other person.');
    const now = clock.now();
    const chat: ChatRow = {
      id: newId(),
      kind: 'group',
      name,
      direct_key: null,
      last_seq: 0,
      created_at: now,
      updated_at: now,
    };
    const members = [
      member(chat.id, accountId, true, now),
      ...found.map((a) => member(chat.id, a.id, false, now)),
    ];
    await inTransaction(this.ctx, async (trx, publish) => {
      await repos.chats.insertChat(chat, members, trx);
      publish({ type: 'chat.changed', accountIds: members.map((m) => m.account_id), chatId: chat.id });
    });
    return this.view(chat, accountId);
  }

  async typing(accountId: string, chatId: string, typing: boolean): Promise<void> {
    const members = await this.ctx.repos.chats.members(chatId);
    if (!members.some((m) => m.account_id === accountId)) throw notMember();
    await this.ctx.bus.publish({
      type: 'typing',
      accountIds: members.map((m) => m.account_id).filter((id) => id !== accountId),
      chatId,
      accountId,
      typing,
    });
  }
}

function member(chatId: string, accountId: string, admin: boolean, now: number): MemberRow {
  return {
    chat_id: chatId,
    account_id: accountId,
    admin: admin ? 1 : 0,
    read_seq: 0,
    delivered_seq: 0,
    joined_at: now,
  };
}
