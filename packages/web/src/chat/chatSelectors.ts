import type { ChatView, MessageView } from '@latch/protocol';
import type { ChatMessages, ChatsState, PendingMessage } from './chatsReducer';

/** Chats with the most recent conversation first. */
export function sortedChats(state: ChatsState): ChatView[] {
  const activity = (c: ChatView) => c.lastMessage?.sentAt ?? c.updatedAt;
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

/** The name shown above another member's bubble in a group. */
export function senderName(chat: ChatView, accountId: string): string {
  const member = chat.members.find((m) => m.accountId === accountId);
  return member ? member.name || member.phoneNumber : 'Unknown';
}
