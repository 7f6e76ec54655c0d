import type { ChatView, MessageView } from '@latch/protocol';

/**
 * A message this device wrote that the server has not confirmed yet: the outbox (ENG-9).
 * `pending` waits for (or is in) its turn to be sent; `failed` was refused and waits for a retry.
 * Once the server confirms it, it leaves the outbox and is a sent message, keyed by seq.
 */
export interface PendingMessage {
  clientMsgId: string;
  chatId: string;
  text: string;
  createdAt: number;
  status: 'pending' | 'failed';
}

/** What this device holds of one chat's messages: a contiguous run of the newest ones, ideally. */
export interface ChatMessages {
  /** Confirmed messages keyed by seq: a message that arrives twice lands on the same key. */
  bySeq: Record<number, MessageView>;
  pending: PendingMessage[];
  /** True while an older page is being fetched (scrolling up asks only once). */
  loadingOlder: boolean;
}

export const emptyMessages: ChatMessages = { bySeq: {}, pending: [], loadingOlder: false };

/**
 * Combines two views of one chat. Positions only move forward, so a late or reordered frame
 * can never take back a message, a read or a delivery.
 */
export function mergeChat(existing: ChatView | undefined, incoming: ChatView): ChatView {
  if (!existing) return incoming;
  const newer = existing.lastSeq > incoming.lastSeq ? existing : incoming;
  return {
    ...incoming,
    lastSeq: newer.lastSeq,
    lastMessage: newer.lastMessage,
    updatedAt: Math.max(existing.updatedAt, incoming.updatedAt),
    readSeq: Math.max(existing.readSeq, incoming.readSeq),
    othersReadSeq: Math.max(existing.othersReadSeq, incoming.othersReadSeq),
    othersDeliveredSeq: Math.max(existing.othersDeliveredSeq, incoming.othersDeliveredSeq),
  };
}

/** Adds confirmed messages by seq and drops the pending copies they confirm (by clientMsgId). */
export function mergeMessages(current: ChatMessages, incoming: MessageView[]): ChatMessages {
  if (incoming.length === 0) return current;
  const bySeq = { ...current.bySeq };
  const confirmed = new Set<string>();
  for (const m of incoming) {
    bySeq[m.seq] = m;
    confirmed.add(m.clientMsgId);
  }
  return { ...current, bySeq, pending: current.pending.filter((p) => !confirmed.has(p.clientMsgId)) };
}

/** Keeps only the newest `keep` confirmed messages (older ones can be paged in again). */
export function keepNewest(current: ChatMessages, keep: number): ChatMessages {
  const seqs = Object.keys(current.bySeq).map(Number);
  if (seqs.length <= keep) return current;
  seqs.sort((a, b) => b - a);
  const bySeq: Record<number, MessageView> = {};
  for (const seq of seqs.slice(0, keep)) {
    const m = current.bySeq[seq];
    if (m) bySeq[seq] = m;
  }
  return { ...current, bySeq };
}

/** Groups messages by chat, keeping their order. */
export function byChat(messages: MessageView[]): Map<string, MessageView[]> {
  const out = new Map<string, MessageView[]>();
  for (const m of messages) {
    const list = out.get(m.chatId);
    if (list) list.push(m);
    else out.set(m.chatId, [m]);
  }
  return out;
}

/** A chat view moved forward by newly arrived messages (own messages count as read). */
export function advanceChat(chat: ChatView, arrived: MessageView[], selfAccountId: string): ChatView {
  let newest: MessageView | null = null;
  let ownSeq = 0;
  for (const m of arrived) {
    if (!newest || m.seq > newest.seq) newest = m;
    if (m.senderAccountId === selfAccountId) ownSeq = Math.max(ownSeq, m.seq);
  }
  if (!newest) return chat;
  return {
    ...chat,
    ...(newest.seq > chat.lastSeq
      ? { lastSeq: newest.seq, lastMessage: newest, updatedAt: Math.max(chat.updatedAt, newest.sentAt) }
      : {}),
    // What this account wrote (here or on the phone) is read by definition.
    readSeq: Math.max(chat.readSeq, ownSeq),
  };
}
