import { MAX_MESSAGE_LENGTH } from '@latch/protocol';
import { ApiError } from '../api';
import { randomBase64Url } from '../deviceKey';
import type { Connection } from './connection';
import type { Store } from './store';
import type { PendingMessage } from './sync/chatMerge';
import type { ChatsAction, ChatsState } from './sync/chatsReducer';

export interface OutboxDeps {
  connection: Connection;
  state: Store<ChatsState>;
  dispatch: (action: ChatsAction) => void;
  selfAccountId: () => string | null;
  /** A new `clientMsgId` (random; tests may make them predictable). */
  newClientMsgId?: () => string;
}

/** A send that got no answer while the connection stayed up is tried again after this long. */
export const OUTBOX_RETRY_MS = 3_000;

/** Why a text cannot be sent at all (the composer says so before anything is queued). */
export type SendRefusal = 'empty' | 'too_long';

export function checkMessageText(text: string): SendRefusal | null {
  if (text.trim().length === 0) return 'empty';
  if (text.length > MAX_MESSAGE_LENGTH) return 'too_long';
  return null;
}

/** Everything still in the outbox, oldest first (the order it was written in, across chats). */
export function outboxQueue(state: ChatsState): PendingMessage[] {
  const all: PendingMessage[] = [];
  for (const messages of Object.values(state.messages)) all.push(...messages.pending);
  return all.sort((a, b) => a.createdAt - b.createdAt);
}

/**
 * Messages written on this device wait here until the server has them (ENG-9). They live in the
 * chats state (so the timeline shows them with a clock and the cache persists them), are sent one
 * at a time in the order they were written, only once a catch-up reached `live` (so one the server
 * already stored comes back through the sync instead of going twice), and always with the same
 * `clientMsgId`, which the server dedups (MSG-2). A lost answer leaves the message pending for the
 * next connection; a refusal marks it failed until the person retries.
 */
export class Outbox {
  private flushing = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly deps: OutboxDeps) {}

  /** Queues a message; returns it, or why it cannot be sent. */
  send(chatId: string, text: string): PendingMessage | SendRefusal {
    const refusal = checkMessageText(text);
    if (refusal) return refusal;
    const pending: PendingMessage = {
      clientMsgId: this.deps.newClientMsgId?.() ?? randomBase64Url(12),
      chatId,
      text,
      createdAt: Date.now(),
      status: 'pending',
    };
    this.deps.dispatch({ type: 'message_queued', pending });
    void this.flush();
    return pending;
  }

  /** A failed message goes back in line (same clientMsgId: never twice). */
  retry(chatId: string, clientMsgId: string): void {
    this.deps.dispatch({ type: 'message_retried', chatId, clientMsgId });
    void this.flush();
  }

  /** Sends what is pending, in order, while the connection is live. */
  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      const skipped = new Set<string>();
      for (;;) {
        const state = this.deps.state.getSnapshot();
        if (state.catchUp.kind !== 'live' || this.deps.connection.state.kind !== 'ready') return;
        const next = outboxQueue(state).find((p) => p.status === 'pending' && !skipped.has(p.clientMsgId));
        if (!next) return;
        const outcome = await this.deliver(next);
        if (outcome === 'lost') {
          this.retryLater();
          return;
        }
        if (outcome === 'failed') skipped.add(next.clientMsgId);
      }
    } finally {
      this.flushing = false;
    }
  }

  dispose(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Still connected but unanswered (a slow server): try again; a reconnect would flush anyway. */
  private retryLater(): void {
    if (this.retryTimer || this.deps.connection.state.kind !== 'ready') return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.flush();
    }, OUTBOX_RETRY_MS);
  }

  private async deliver(pending: PendingMessage): Promise<'sent' | 'failed' | 'lost'> {
    const { chatId, clientMsgId, text } = pending;
    try {
      const message = await this.deps.connection.request('messages.send', { chatId, clientMsgId, text });
      this.deps.dispatch({
        type: 'message_received',
        message,
        selfAccountId: this.deps.selfAccountId() ?? '',
      });
      return 'sent';
    } catch (error) {
      // No answer (lost connection, timeout): it may or may not be stored; the next catch-up tells,
      // and a resend with the same clientMsgId cannot duplicate it.
      if (error instanceof ApiError && error.code === 'network') return 'lost';
      this.deps.dispatch({ type: 'message_failed', chatId, clientMsgId });
      return 'failed';
    }
  }
}
