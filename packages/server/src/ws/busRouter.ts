import { CloseCode, type ServerFrame } from '@latch/protocol';
import type { Logger } from 'pino';
import type { BusEvent } from '../bus/events';
import type { Metrics } from '../metrics';
import type { Services } from '../services/services';
import type { Connections } from './connections';

/** Turns bus events into frames on the sockets this node owns. */
export class BusRouter {
  constructor(
    private readonly conns: Connections,
    private readonly services: Services,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  handle = (event: BusEvent): void => {
    this.route(event).catch((err: unknown) => this.log.error({ err, type: event.type }, 'bus event failed'));
  };

  private async route(event: BusEvent): Promise<void> {
    switch (event.type) {
      case 'devices.revoked': {
        // One encoding for every socket; the frame and the close leave in one write (coalesceWrites).
        const frame = JSON.stringify({ type: 'logged_out', reason: event.reason } satisfies ServerFrame);
        for (const id of event.deviceIds) {
          for (const c of this.conns.ofDevice(id)) {
            c.revoked = true;
            c.sendText(frame);
            c.ws.close(CloseCode.loggedOut, event.reason);
          }
        }
        return;
      }
      case 'devices.changed':
        for (const c of this.conns.ofAccount(event.accountId)) c.send({ type: 'devices.changed' });
        return;
      case 'account.changed': {
        if (!this.conns.hasAccount(event.accountId)) return;
        const account = await this.services.accounts.get(event.accountId);
        for (const c of this.conns.ofAccount(event.accountId)) c.send({ type: 'account.changed', account });
        return;
      }
      case 'security.event':
        for (const c of this.conns.ofAccount(event.accountId))
          c.send({ type: 'security.event', event: event.event });
        return;
      case 'link.frame':
        this.conns.link(event.linkId)?.deliver(event.frame);
        return;
      case 'link.prompt':
        for (const c of this.conns.ofAccount(event.accountId)) {
          if (c.app === 'phone') c.send({ type: 'link.prompt', expiresAt: event.expiresAt });
        }
        return;
      case 'message.new':
        return this.deliverMessage(event);
      case 'chat.changed':
        for (const accountId of event.accountIds) {
          if (!this.conns.hasAccount(accountId)) continue;
          const chat = await this.services.chats.get(event.chatId, accountId);
          for (const c of this.conns.ofAccount(accountId)) c.send({ type: 'chat', chat });
        }
        return;
      case 'receipts':
        return this.deliverReceipts(event);
      case 'chat.removed':
        for (const accountId of event.accountIds) {
          for (const c of this.conns.ofAccount(accountId))
            c.send({ type: 'chat.removed', chatId: event.chatId });
        }
        return;
      case 'typing':
        for (const accountId of event.accountIds) {
          for (const c of this.conns.ofAccount(accountId)) {
            c.send({
              type: 'typing',
              chatId: event.chatId,
              accountId: event.accountId,
              typing: event.typing,
            });
          }
        }
        return;
      default: {
        const missing: never = event;
        throw new Error(`Unhandled bus event ${JSON.stringify(missing)}`);
      }
    }
  }

  private deliverMessage(event: Extract<BusEvent, { type: 'message.new' }>): void {
    const { message, syncId } = event;
    let frame: string | undefined;
    for (const accountId of event.accountIds) {
      const conns = this.conns.ofAccount(accountId);
      if (conns.length === 0) continue;
      // Encoded once for every socket it goes to.
      frame ??= JSON.stringify({ type: 'message', message, syncId } satisfies ServerFrame);
      for (const c of conns) c.sendText(frame);
      this.metrics.messagesDelivered(conns.length);
      // Reached a device of this member: the sender's single tick becomes double (written in batches).
      if (accountId !== message.senderAccountId) {
        this.services.receipts
          .markDelivered(accountId, message.chatId, message.seq)
          .catch((err: unknown) => this.log.error({ err }, 'delivery receipt failed'));
      }
    }
  }

  /** Each member sees the others' positions: the lowest among them decides the ticks. */
  private deliverReceipts(event: Extract<BusEvent, { type: 'receipts' }>): void {
    for (const accountId of event.notify) {
      const conns = this.conns.ofAccount(accountId);
      if (conns.length === 0) continue;
      const own = event.positions.find((p) => p.accountId === accountId);
      if (!own) continue;
      const others = event.positions.filter((p) => p.accountId !== accountId);
      const lowest = (key: 'readSeq' | 'deliveredSeq') =>
        others.length === 0 ? event.lastSeq : Math.min(...others.map((p) => p[key]));
      const frame: ServerFrame = {
        type: 'receipts',
        chatId: event.chatId,
        readSeq: own.readSeq,
        othersReadSeq: lowest('readSeq'),
        othersDeliveredSeq: lowest('deliveredSeq'),
      };
      for (const c of conns) c.send(frame);
    }
  }
}
