import type { MessageView, RpcParsedParams } from '@latch/protocol';
import type { BusEvent } from '../bus/events';
import { newId } from '../crypto';
import { AppError, badRequest, notFound } from '../errors';
import { presentMessage } from '../presenters/message.presenter';
import type { HistoryWindow } from '../repositories/chat.repository';
import type { Db } from '../store/database';
import { Batcher, type Outcome } from './batcher';
import { notMember } from './chat.service';
import { inTransaction, type ServiceContext } from './context';
import type { ReceiptService } from './receipt.service';

type SendJob = { accountId: string; deviceId: string; p: RpcParsedParams<'messages.send'> };

/** Sends written in one transaction at most (a burst beyond waits for the next). */
const MAX_SENDS_PER_COMMIT = 256;

/** Sending, history and catching up. The only part of Latch that writes message bodies. */
export class MessageService {
  /**
   * Group commit: the sends that arrive in one turn of the event loop are stored in one transaction.
   * Each commit writes the same pages (chat row, member row, message and index pages) again, so
   * one commit per send cost more than the send itself (docs/performance.md).
   */
  private readonly sends = new Batcher<SendJob, MessageView>((jobs) => this.storeBatch(jobs), {
    maxBatch: MAX_SENDS_PER_COMMIT,
  });

  constructor(
    private readonly ctx: ServiceContext,
    private readonly receipts: ReceiptService,
  ) {}

  /** Writes the sends gathered now (the server calls it before closing the store). */
  async flush(): Promise<void> {
    await this.sends.flush();
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
    await Promise.all(
      [...delivered].map(([chatId, seq]) => this.receipts.markDelivered(accountId, chatId, seq)),
    );
    const last = rows.at(-1);
    return {
      messages: rows.map(presentMessage),
      nextAfterId: last ? Number(last.sync_id) : afterId,
      done: rows.length < limit,
    };
  }
}
