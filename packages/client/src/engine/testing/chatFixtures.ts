import type { ChatView, MessageView } from '@latch/protocol';
import type { PendingMessage } from '../sync/chatMerge';

/** Test data for the chat reducer, selectors and cache (imported by tests only). */
export const ME = 'account-me-0001';
export const ADA = 'account-ada-001';
export const CHAT = 'chat-ada-00001';

export function message(seq: number, sender: string, overrides: Partial<MessageView> = {}): MessageView {
  return {
    id: `message-${seq}-0000`,
    chatId: CHAT,
    seq,
    senderAccountId: sender,
    senderDeviceId: `${sender}-device`,
    clientMsgId: `client-msg-${seq}`,
    text: `text ${seq}`,
    sentAt: 1_700_000_000_000 + seq * 1000,
    ...overrides,
  };
}

export function chat(overrides: Partial<ChatView> = {}): ChatView {
  return {
    id: CHAT,
    kind: 'direct',
    title: 'Ada',
    members: [
      { accountId: ME, phoneNumber: '+15550000001', name: 'Me', admin: false },
      { accountId: ADA, phoneNumber: '+15550000002', name: 'Ada', admin: false },
    ],
    lastSeq: 0,
    lastMessage: null,
    readSeq: 0,
    othersReadSeq: 0,
    othersDeliveredSeq: 0,
    updatedAt: 1_700_000_000_000,
    ...overrides,
  };
}

export function pending(clientMsgId: string, overrides: Partial<PendingMessage> = {}): PendingMessage {
  return { clientMsgId, chatId: CHAT, text: 'hello', createdAt: 1, status: 'pending', ...overrides };
}
