import type { ChatView, PresenceView } from '@latch/protocol';
import { AppError, badRequest, notFound } from '../errors';
import type { ChatRow, MemberRow } from '../repositories/chat.repository';
import type { ChatService } from './chat.service';
import { inTransaction, type ServiceContext } from './context';

const notAdmin = () => new AppError(403, 'forbidden', 'Only a group admin can do this.');

/** Group membership and names (the creator is admin), and who is online. */
export class GroupService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly chats: ChatService,
  ) {}

  private async group(
    chatId: string,
    accountId: string,
  ): Promise<{ chat: ChatRow; members: MemberRow[]; me: MemberRow }> {
    const chat = await this.ctx.repos.chats.findChat(chatId);
    if (!chat) throw notFound('chat_not_found', 'No such chat.');
    const members = await this.ctx.repos.chats.members(chatId);
    const me = members.find((m) => m.account_id === accountId);
    if (!me) throw new AppError(403, 'not_member', 'You are not in this chat.');
    if (chat.kind !== 'group') throw badRequest('Only groups have members to manage.');
    return { chat, members, me };
  }

  async addMembers(accountId: string, chatId: string, phoneNumbers: string[]): Promise<ChatView> {
    const { members, me } = await this.group(chatId, accountId);
    if (me.admin !== 1) throw notAdmin();
    const now = this.ctx.clock.now();
    const added: MemberRow[] = [];
    for (const phone of new Set(phoneNumbers)) {
      const a = await this.ctx.repos.accounts.findByPhone(phone);
      if (!a) throw notFound('not_registered', `${phone} is not on Latch yet.`);
      if (!members.some((m) => m.account_id === a.id)) {
        added.push({
          chat_id: chatId,
          account_id: a.id,
          admin: 0,
          read_seq: 0,
          delivered_seq: 0,
          joined_at: now,
        });
      }
    }
    await inTransaction(this.ctx, async (trx, publish) => {
      await this.ctx.repos.chats.addMembers(added, trx);
      const everyone = [...members.map((m) => m.account_id), ...added.map((m) => m.account_id)];
      publish({ type: 'chat.changed', accountIds: everyone, chatId });
    });
    return this.chats.get(chatId, accountId);
  }

  async removeMember(accountId: string, chatId: string, memberId: string): Promise<ChatView> {
    const { members, me } = await this.group(chatId, accountId);
    if (me.admin !== 1) throw notAdmin();
    if (memberId === accountId) throw badRequest('To leave the group, use Leave.');
    if (!members.some((m) => m.account_id === memberId)) throw notFound('not_member', 'Not in this group.');
    await inTransaction(this.ctx, async (trx, publish) => {
      await this.ctx.repos.chats.removeMember(chatId, memberId, trx);
      publish({ type: 'chat.removed', accountIds: [memberId], chatId });
      publish({
        type: 'chat.changed',
        accountIds: members.map((m) => m.account_id).filter((id) => id !== memberId),
        chatId,
      });
    });
    return this.chats.get(chatId, accountId);
  }

  async rename(accountId: string, chatId: string, name: string): Promise<ChatView> {
    const { members, me } = await this.group(chatId, accountId);
    if (me.admin !== 1) throw notAdmin();
    await inTransaction(this.ctx, async (trx, publish) => {
      await this.ctx.repos.chats.rename(chatId, name, this.ctx.clock.now(), trx);
      publish({ type: 'chat.changed', accountIds: members.map((m) => m.account_id), chatId });
    });
    return this.chats.get(chatId, accountId);
  }

  /** Leaves a group; the last admin leaving hands admin to the longest-standing member. */
  async leave(accountId: string, chatId: string): Promise<void> {
    const { members, me } = await this.group(chatId, accountId);
    const rest = members.filter((m) => m.account_id !== accountId).sort((a, b) => a.joined_at - b.joined_at);
    await inTransaction(this.ctx, async (trx, publish) => {
      await this.ctx.repos.chats.removeMember(chatId, accountId, trx);
      const heir = rest[0];
      if (me.admin === 1 && heir && !rest.some((m) => m.admin === 1)) {
        await this.ctx.repos.chats.setAdmin(chatId, heir.account_id, trx);
      }
      publish({ type: 'chat.removed', accountIds: [accountId], chatId });
      if (rest.length > 0)
        publish({ type: 'chat.changed', accountIds: rest.map((m) => m.account_id), chatId });
    });
  }

  /** Presence of accounts that share a chat with the asker (others are not its business). */
  async presence(accountId: string, accountIds: string[]): Promise<PresenceView[]> {
    const mine = await this.ctx.repos.chats.chatsOf(accountId);
    const visible = new Set<string>([accountId]);
    for (const chat of mine)
      for (const m of await this.ctx.repos.chats.members(chat.id)) visible.add(m.account_id);
    const asked = accountIds.filter((id) => visible.has(id));
    if (asked.length === 0) return [];
    const now = this.ctx.clock.now();
    const rows = await this.ctx.repos.devices.presence(asked);
    return asked.map((id) => {
      const row = rows.find((r) => r.account_id === id);
      return {
        accountId: id,
        online: Number(row?.online_until ?? 0) > now,
        lastSeenAt: row ? Number(row.last_active_at) : null,
      };
    });
  }
}
