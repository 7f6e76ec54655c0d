import type { MessageView } from '@latch/protocol';
import type { MessageRow } from '../repositories/chat.repository';

/** A stored message as every member's devices see it. */
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
