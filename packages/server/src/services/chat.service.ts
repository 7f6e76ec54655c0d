import type { ChatView, MessageView, RpcParsedParams } from '@latch/protocol';
import type { BusEvent } from '../bus/events';
import { newId } from '../crypto';
import { AppError, badRequest, notFound } from '../errors';
import type { AccountRow } from '../repositories/account.repository';
import type { ChatRow, HistoryWindow, MemberRow, MessageRow } from '../repositories/chat.repository';
import type { Db } from '../store/database';
import { Batcher } from './batcher';
import { inTransaction, type ServiceContext } from './context';

export function presentMessage(m: MessageRow): MessageView {
  return {
    id: m.id,
    chatId: m.chat_id,
    seq: Number(m.seq),
    senderAccountId: m.sender_account_id,
    senderDeviceId: m.sender_device_id,
    clientMsgId: m.client_msg_id,
    text: m.body,
    sentAt: Number(m.sent_at),
  };
}

const notMember = () => new AppError(403, 'not_member', 'You are not in this chat.');

type SendJob = { accountId: string; deviceId: string; p: RpcParsedParams<'messages.send'> };
type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };
type Delivery = { accountId: string; chatId: string; seq: number };

/** Sends written in one transaction at most (a burst beyond waits for the next). */
const MAX_SENDS_PER_COMMIT = 256;
/** Deliveries are gathered this long and written together, with one receipts frame per chat. */
export const RECEIPT_FLUSH_MS = 15;

/** Chats, members and messages. The only part of Latch that reads message bodies. */
export class ChatService {
  /**
   * Group commit: the sends that arrive in one turn of the event loop are stored in one transaction.
   * Each commit writes the same pages (chat row, member row, message and index pages) again, so
   * one commit per send cost more than the send itself (docs/performance.md).
   */
  private readonly sends = new Batcher<SendJob, MessageView>((jobs) => this.storeBatch(jobs), {
    maxBatch: MAX_SENDS_PER_COMMIT,
  });
  /** Delivery positions, gathered: a busy chat moves its ticks once per flush, not once per message. */
  private readonly deliveries = new Batcher<Delivery, void>((d) => this.storeDeliveries(d), {
    maxBatch: 10_000,
    delayMs: RECEIPT_FLUSH_MS,
  });

  constructor(private readonly ctx: ServiceContext) {}

  /** Writes what is gathered now (the server calls it before closing the store). */
  async flush(): Promise<void> {
    await this.sends.flush();
    await this.deliveries.flush();
  }

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
    const me = members.find((m) => m.account_id === accountId);
    const others = members.filter((m) => m.account_id !== accountId);
    const last = await repos.chats.lastMessage(chat.id);
    const other = others[0] ? accounts.get(others[0].account_id) : undefined;
    const title = chat.kind === 'group' ? chat.name : other ? other.name || other.phone_number : 'You';
    const minOf = (key: 'read_seq' | 'delivered_seq') =>
      others.length === 0 ? Number(chat.last_seq) : Math.min(...others.map((m) => Number(m[key])));
    return {
      id: chat.id,
      kind: chat.kind,
      title,
      members: members.map((m) => presentMember(m, accounts.get(m.account_id))),
      lastSeq: Number(chat.last_seq),
      lastMessage: last ? presentMessage(last) : null,
      readSeq: Number(me?.read_seq ?? 0),
      othersReadSeq: minOf('read_seq'),
      othersDeliveredSeq: minOf('delivered_seq'),
      updatedAt: Number(chat.updated_at),
    };
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

  /**
   * Stores a message with the chat's next sequence number. Idempotent per (device, clientMsgId):
   * a retry after a lost answer returns the stored message and publishes nothing new.
   */
  async send(accountId: string, deviceId: string, p: RpcParsedParams<'messages.send'>): Promise<MessageView> {
    const started = performance.now();
    const message = await this.sends.submit({ accountId, deviceId, p });
    this.ctx.metrics.messageSent((performance.now() - started) / 1000);
    return message;
  }

  /**
   * Stores a batch of sends in one transaction; each send's own refusal (not a member, reused id)
   * is its answer alone. Anything else (a commit that failed, a retry racing on another node) rolls
   * the batch back, and each send is then tried on its own.
   */
  private async storeBatch(jobs: SendJob[]): Promise<Outcome<MessageView>[]> {
    try {
      return await inTransaction(this.ctx, async (trx, publish) => {
        await this.ctx.repos.chats.lockMessageOrder(trx);
        const out: Outcome<MessageView>[] = [];
        for (const job of jobs) {
          try {
            out.push({ ok: true, value: await this.store(job, trx, publish) });
          } catch (error) {
            // Refusals are thrown before the send wrote anything; other errors abort the batch.
            if (!(error instanceof AppError)) throw error;
            out.push({ ok: false, error });
          }
        }
        return out;
      });
    } catch {
      return Promise.all(jobs.map((job) => this.storeAlone(job)));
    }
  }

  private async storeAlone(job: SendJob): Promise<Outcome<MessageView>> {
    try {
      const value = await inTransaction(this.ctx, async (trx, publish) => {
        await this.ctx.repos.chats.lockMessageOrder(trx);
        return this.store(job, trx, publish);
      });
      return { ok: true, value };
    } catch (error) {
      // A retry racing the original: the loser hits the (device, clientMsgId) unique key and
      // rolls back; it answers with the stored message instead of an error.
      const raced = await this.ctx.repos.chats.findByClientId(job.deviceId, job.p.clientMsgId);
      if (raced?.chat_id === job.p.chatId) return { ok: true, value: presentMessage(raced) };
      return { ok: false, error };
    }
  }

  private async store(
    { accountId, deviceId, p }: SendJob,
    trx: Db,
    publish: (e: BusEvent) => void,
  ): Promise<MessageView> {
    const { repos, clock } = this.ctx;
    const dup = await repos.chats.findByClientId(deviceId, p.clientMsgId, trx);
    if (dup) {
      if (dup.chat_id !== p.chatId) throw badRequest('This message id was already used for another chat.');
      return presentMessage(dup);
    }
    const members = await repos.chats.members(p.chatId, trx);
    if (members.length === 0) throw notFound('chat_not_found', 'No such chat.');
    if (!members.some((m) => m.account_id === accountId)) throw notMember();
    const now = clock.now();
    const seq = await repos.chats.nextSeq(p.chatId, now, trx);
    const row = {
      id: newId(),
      chat_id: p.chatId,
      seq,
      sender_account_id: accountId,
      sender_device_id: deviceId,
      client_msg_id: p.clientMsgId,
      body: p.text,
      sent_at: now,
    };
    const syncId = await repos.chats.insertMessage(row, trx);
    await repos.chats.raiseBoth(p.chatId, accountId, seq, trx);
    const message = presentMessage({ ...row, sync_id: syncId });
    publish({ type: 'message.new', accountIds: members.map((m) => m.account_id), message, syncId });
    return message;
  }

  /** A companion reads the recent history from before its link (config), a phone all of it. */
  windowFor(device: { kind: 'primary' | 'companion'; created_at: number }): HistoryWindow | null {
    return device.kind === 'companion'
      ? { linkedAt: device.created_at, keep: this.ctx.config.historyForNewDevices }
      : null;
  }

  async history(
    accountId: string,
    p: RpcParsedParams<'messages.history'>,
    window: HistoryWindow | null = null,
  ): Promise<MessageView[]> {
    if (!(await this.ctx.repos.chats.membership(p.chatId, accountId))) throw notMember();
    const rows = await this.ctx.repos.chats.history(p.chatId, p.beforeSeq, p.limit, window);
    return rows.map(presentMessage);
  }

  async sync(accountId: string, afterId: number, limit: number, window: HistoryWindow | null = null) {
    const rows = await this.ctx.repos.chats.syncAfter(accountId, afterId, limit, window);
    // Catching up delivers the other members' messages to this account: their senders get double ticks.
    const delivered = new Map<string, number>();
    for (const r of rows) {
      if (r.sender_account_id !== accountId)
        delivered.set(r.chat_id, Math.max(delivered.get(r.chat_id) ?? 0, Number(r.seq)));
    }
    await Promise.all([...delivered].map(([chatId, seq]) => this.markDelivered(accountId, chatId, seq)));
    const last = rows.at(-1);
    return {
      messages: rows.map(presentMessage),
      nextAfterId: last ? Number(last.sync_id) : afterId,
      done: rows.length < limit,
    };
  }

  /** Read (and so delivered) up to `seq`; the other members' ticks turn blue. */
  async markRead(accountId: string, chatId: string, seq: number): Promise<void> {
    const m = await this.ctx.repos.chats.membership(chatId, accountId);
    if (!m) throw notMember();
    // Never past the last message, or messages sent later would count as read on arrival.
    const chat = await this.ctx.repos.chats.findChat(chatId);
    const upTo = Math.min(seq, Number(chat?.last_seq ?? 0));
    const moved = await this.ctx.repos.chats.raise(chatId, accountId, 'read_seq', upTo);
    await this.ctx.repos.chats.raise(chatId, accountId, 'delivered_seq', upTo);
    if (moved) await this.publishReceipts(chatId, new Set([accountId]), new Set([accountId]));
  }

  /**
   * A device of this account received messages up to `seq`: double ticks for the sender. Written
   * with the other deliveries of the next {@link RECEIPT_FLUSH_MS}.
   */
  markDelivered(accountId: string, chatId: string, seq: number): Promise<void> {
    return this.deliveries.submit({ accountId, chatId, seq });
  }

  private async storeDeliveries(deliveries: Delivery[]): Promise<Outcome<void>[]> {
    const highest = new Map<string, Map<string, number>>();
    for (const d of deliveries) {
      const chat = highest.get(d.chatId) ?? new Map<string, number>();
      chat.set(d.accountId, Math.max(chat.get(d.accountId) ?? 0, d.seq));
      highest.set(d.chatId, chat);
    }
    const moved = await inTransaction(this.ctx, async (trx) => {
      const out = new Map<string, Set<string>>();
      for (const [chatId, accounts] of highest) {
        for (const [accountId, seq] of accounts) {
          if (!(await this.ctx.repos.chats.raise(chatId, accountId, 'delivered_seq', seq, trx))) continue;
          out.set(chatId, (out.get(chatId) ?? new Set()).add(accountId));
        }
      }
      return out;
    });
    for (const [chatId, movers] of moved) await this.publishReceipts(chatId, movers, new Set());
    return deliveries.map(() => ({ ok: true, value: undefined }));
  }

  /**
   * Tells the members whose ticks changed: everyone whose own read position moved, and everyone for
   * whom some *other* member's position moved.
   */
  private async publishReceipts(chatId: string, movers: Set<string>, readers: Set<string>): Promise<void> {
    const { lastSeq, positions } = await this.ctx.repos.chats.positions(chatId);
    const notify = positions
      .map((p) => p.accountId)
      .filter((id) => readers.has(id) || [...movers].some((m) => m !== id));
    if (notify.length === 0) return;
    await this.ctx.bus.publish({ type: 'receipts', chatId, lastSeq, positions, notify });
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

function presentMember(m: MemberRow, a: AccountRow | undefined) {
  return {
    accountId: m.account_id,
    phoneNumber: a?.phone_number ?? '',
    name: a?.name ?? '',
    admin: m.admin === 1,
  };
}
