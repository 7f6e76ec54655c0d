import type { ChatView, MessageView } from '@latch/protocol';
import type { ChatMessages, ChatsState, PendingMessage } from '../sync/chatsReducer';

/** What one cache write changes: only what differs from the state written last time. */
export interface CacheDelta {
  putChats: ChatView[];
  deleteChats: string[];
  putMessages: MessageView[];
  /** Per chat, delete the stored messages with a seq below `belowSeq` (Infinity: all of them). */
  trims: Array<{ chatId: string; belowSeq: number }>;
  cursor: number;
  /** Every unconfirmed message (a small list, rewritten whole). */
  pending: PendingMessage[];
}

/** The newest `keep` messages of a chat, newest first. */
function newestMessages(messages: ChatMessages, keep: number): MessageView[] {
  const seqs = Object.keys(messages.bySeq)
    .map(Number)
    .sort((a, b) => b - a)
    .slice(0, keep);
  const out: MessageView[] = [];
  for (const seq of seqs) {
    const m = messages.bySeq[seq];
    if (m) out.push(m);
  }
  return out;
}

/**
 * The difference between two reducer states, as cache writes. Reducer updates are immutable, so an
 * unchanged chat or message is the same object and costs nothing. Each chat keeps only its newest
 * `keep` messages, and nothing older than the oldest of them: what the cache holds is always one
 * run without holes, like what the reducer holds.
 */
export function cacheDelta(prev: ChatsState, next: ChatsState, keep: number): CacheDelta {
  const delta: CacheDelta = {
    putChats: [],
    deleteChats: [],
    putMessages: [],
    trims: [],
    cursor: next.cursor,
    pending: [],
  };
  for (const [chatId, chat] of Object.entries(next.chats)) {
    const isNew = prev.chats[chatId] === undefined;
    if (prev.chats[chatId] !== chat) delta.putChats.push(chat);
    const messages = next.messages[chatId];
    if (!messages) continue;
    delta.pending.push(...messages.pending);
    const before = prev.messages[chatId];
    if (!isNew && before?.bySeq === messages.bySeq) continue;
    const newest = newestMessages(messages, keep);
    for (const m of newest) if (isNew || before?.bySeq[m.seq] !== m) delta.putMessages.push(m);
    const oldestKept = newest.at(-1);
    if (oldestKept) delta.trims.push({ chatId, belowSeq: oldestKept.seq });
  }
  // The outbox is stored in the order it was written (ENG-9), whatever the order of the chats.
  delta.pending.sort((a, b) => a.createdAt - b.createdAt);
  for (const chatId of Object.keys(prev.chats)) {
    if (next.chats[chatId] === undefined) {
      delta.deleteChats.push(chatId);
      delta.trims.push({ chatId, belowSeq: Number.POSITIVE_INFINITY });
    }
  }
  return delta;
}
