import type { ChatView, ServerFrame } from '@latch/protocol';

export type ReceiptsFrame = Extract<ServerFrame, { type: 'receipts' }>;

/**
 * A chat's ticks moved forward by a `receipts` frame. Positions never move back, so a late or
 * reordered frame cannot take back a read or a delivery.
 */
export function applyReceipts(chat: ChatView, frame: ReceiptsFrame): ChatView {
  const readSeq = Math.max(chat.readSeq, frame.readSeq);
  const othersReadSeq = Math.max(chat.othersReadSeq, frame.othersReadSeq);
  const othersDeliveredSeq = Math.max(chat.othersDeliveredSeq, frame.othersDeliveredSeq);
  if (
    readSeq === chat.readSeq &&
    othersReadSeq === chat.othersReadSeq &&
    othersDeliveredSeq === chat.othersDeliveredSeq
  ) {
    return chat;
  }
  return { ...chat, readSeq, othersReadSeq, othersDeliveredSeq };
}
