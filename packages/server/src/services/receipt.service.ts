import { Batcher, type Outcome } from './batcher';
import { notMember } from './chat.service';
import { inTransaction, type ServiceContext } from './context';

type Delivery = { accountId: string; chatId: string; seq: number };

/** Deliveries are gathered this long and written together, with one receipts frame per chat. */
export const RECEIPT_FLUSH_MS = 15;

/** Ticks: how far each member has received and read a chat. */
export class ReceiptService {
  /** Delivery positions, gathered: a busy chat moves its ticks once per flush, not once per message. */
  private readonly deliveries = new Batcher<Delivery, void>((d) => this.storeDeliveries(d), {
    maxBatch: 10_000,
    delayMs: RECEIPT_FLUSH_MS,
  });

  constructor(private readonly ctx: ServiceContext) {}

  /** Writes the deliveries gathered now (the server calls it before closing the store). */
  async flush(): Promise<void> {
    await this.deliveries.flush();
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
}
