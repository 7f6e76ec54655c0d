import type { ChatView, MemberView, MessageView } from '@latch/protocol';
import type { ChatMessages, ChatsState, PendingMessage } from './chatsReducer';

/** The newest message this browser wrote in a chat that the server has not confirmed yet. */
export function latestPending(messages: ChatMessages | undefined): PendingMessage | null {
  if (!messages || messages.pending.length === 0) return null;
  return messages.pending.reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
}

/** Chats with the most recent conversation first (a message still in the outbox counts). */
export function sortedChats(state: ChatsState): ChatView[] {
  const activity = (c: ChatView) =>
    Math.max(c.lastMessage?.sentAt ?? c.updatedAt, latestPending(state.messages[c.id])?.createdAt ?? 0);
  return Object.values(state.chats).sort((a, b) => activity(b) - activity(a) || a.id.localeCompare(b.id));
}

/** Messages from others after this account's read position. */
export function unreadCount(chat: ChatView, selfAccountId: string): number {
  if (chat.lastMessage?.senderAccountId === selfAccountId) return 0;
  return Math.max(0, chat.lastSeq - chat.readSeq);
}

export type TimelineItem =
  | { kind: 'message'; key: string; message: MessageView; at: number }
  | { kind: 'pending'; key: string; pending: PendingMessage; at: number };

/** What the message log shows: confirmed messages by seq, then this browser's unconfirmed ones. */
export function timeline(messages: ChatMessages | undefined): TimelineItem[] {
  if (!messages) return [];
  const confirmed = Object.values(messages.bySeq).sort((a, b) => a.seq - b.seq);
  const seen = new Set(confirmed.map((m) => m.clientMsgId));
  const items: TimelineItem[] = confirmed.map((m) => ({
    kind: 'message',
    key: `s${m.seq}`,
    message: m,
    at: m.sentAt,
  }));
  for (const p of messages.pending) {
    if (!seen.has(p.clientMsgId))
      items.push({ kind: 'pending', key: `p${p.clientMsgId}`, pending: p, at: p.createdAt });
  }
  return items;
}

/** The receipt ticks of one of this account's messages. */
export type Receipt = 'sent' | 'delivered' | 'read';

export function receiptFor(message: MessageView, chat: ChatView): Receipt {
  if (message.seq <= chat.othersReadSeq) return 'read';
  if (message.seq <= chat.othersDeliveredSeq) return 'delivered';
  return 'sent';
}

/** The newest confirmed seq loaded for a chat (0 when none). */
export function newestSeq(messages: ChatMessages | undefined): number {
  if (!messages) return 0;
  let max = 0;
  for (const key of Object.keys(messages.bySeq)) max = Math.max(max, Number(key));
  return max;
}

/** The oldest confirmed seq loaded for a chat, or null when none is. */
export function oldestSeq(messages: ChatMessages | undefined): number | null {
  if (!messages) return null;
  const seqs = Object.keys(messages.bySeq).map(Number);
  return seqs.length > 0 ? Math.min(...seqs) : null;
}

/** True when messages older than the oldest one held exist (seqs start at 1 and have no holes). */
export function hasOlderMessages(messages: ChatMessages | undefined): boolean {
  const oldest = oldestSeq(messages);
  return oldest !== null && oldest > 1;
}

/** The largest page `messages.history` gives. */
export const HISTORY_MAX_LIMIT = 200;

/** A `messages.history` request that fills one missing run of seqs (newest first). */
export interface HistoryRequest {
  beforeSeq: number;
  limit: number;
}

/**
 * What is missing between the oldest message held and the chat's last seq: holes left by a
 * message that arrived out of order, and the top when the chat moved on without us. With nothing
 * held, the newest page (`emptyPage` messages). Newest runs first.
 */
export function missingRanges(
  messages: ChatMessages | undefined,
  lastSeq: number,
  emptyPage: number,
): HistoryRequest[] {
  const seqs = messages ? Object.keys(messages.bySeq).map(Number) : [];
  if (seqs.length === 0) {
    return lastSeq > 0 ? [{ beforeSeq: lastSeq + 1, limit: Math.min(emptyPage, lastSeq) }] : [];
  }
  seqs.sort((a, b) => b - a);
  const runs: HistoryRequest[] = [];
  let above = Math.max(lastSeq, seqs[0] ?? 0) + 1;
  for (const seq of seqs) {
    const gap = above - seq - 1;
    if (gap > 0) runs.push({ beforeSeq: above, limit: Math.min(gap, HISTORY_MAX_LIMIT) });
    above = seq;
  }
  return runs;
}

/** Display name of a chat (a direct chat with a nameless account falls back to the number). */
export function chatTitle(chat: ChatView, selfAccountId: string): string {
  if (chat.title.trim()) return chat.title;
  const other = chat.members.find((m) => m.accountId !== selfAccountId);
  return other ? other.name || other.phoneNumber : 'Chat';
}

/** Who is typing in a chat, by name, excluding this account. */
export function typingNames(state: ChatsState, chat: ChatView, selfAccountId: string): string[] {
  const inChat = state.typing[chat.id];
  if (!inChat) return [];
  return Object.keys(inChat)
    .filter((id) => id !== selfAccountId)
    .map((id) => {
      const member = chat.members.find((m) => m.accountId === id);
      return member ? member.name || member.phoneNumber : 'Someone';
    });
}

/** The name shown above another member's bubble in a group (someone who left has no name here). */
export function senderName(chat: ChatView, accountId: string): string {
  const member = chat.members.find((m) => m.accountId === accountId);
  return member ? member.name || member.phoneNumber : 'Former member';
}

/** The other person of a direct chat. */
export function otherMember(chat: ChatView, selfAccountId: string): MemberView | null {
  if (chat.kind !== 'direct') return null;
  return chat.members.find((m) => m.accountId !== selfAccountId) ?? null;
}

/** True when this account is an admin of the group. */
export function isAdmin(chat: ChatView, selfAccountId: string): boolean {
  return chat.members.some((m) => m.accountId === selfAccountId && m.admin);
}
