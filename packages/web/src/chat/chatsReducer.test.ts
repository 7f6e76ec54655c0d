import type { ChatView, MessageView } from '@latch/protocol';
import { describe, expect, it } from 'vitest';
import { receiptFor, sortedChats, timeline, unreadCount } from './chatSelectors';
import {
  type ChatsAction,
  type ChatsState,
  chatsReducer,
  initialChatsState,
  mergeChat,
} from './chatsReducer';

const ME = 'account-me-0001';
const ADA = 'account-ada-001';
const CHAT = 'chat-ada-00001';

function message(seq: number, sender: string, overrides: Partial<MessageView> = {}): MessageView {
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

function chat(overrides: Partial<ChatView> = {}): ChatView {
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

function run(actions: ChatsAction[], from: ChatsState = initialChatsState): ChatsState {
  return actions.reduce(chatsReducer, from);
}

const loaded: ChatsAction = { type: 'chats_loaded', chats: [chat()] };

describe('messages', () => {
  it('a message that arrives as the send result and as a live event is shown once', () => {
    const m = message(1, ME);
    const state = run([
      loaded,
      { type: 'message_received', message: m, selfAccountId: ME },
      { type: 'message_received', message: m, selfAccountId: ME },
    ]);
    expect(timeline(state.messages[CHAT])).toHaveLength(1);
  });

  it('a pending message is replaced by its confirmation, matched by clientMsgId', () => {
    const pending = {
      clientMsgId: 'client-msg-1',
      chatId: CHAT,
      text: 'hello',
      createdAt: 1,
      status: 'sending' as const,
    };
    const queued = run([loaded, { type: 'message_queued', pending }]);
    expect(timeline(queued.messages[CHAT]).map((i) => i.kind)).toEqual(['pending']);
    const confirmed = chatsReducer(queued, {
      type: 'message_received',
      message: message(1, ME, { text: 'hello' }),
      selfAccountId: ME,
    });
    const items = timeline(confirmed.messages[CHAT]);
    expect(items.map((i) => i.kind)).toEqual(['message']);
    expect(confirmed.messages[CHAT]?.pending).toEqual([]);
  });

  it('queuing the same clientMsgId twice keeps one pending copy', () => {
    const pending = {
      clientMsgId: 'c-1-abcdef',
      chatId: CHAT,
      text: 'x',
      createdAt: 1,
      status: 'sending' as const,
    };
    const state = run([
      { type: 'message_queued', pending },
      { type: 'message_queued', pending },
    ]);
    expect(state.messages[CHAT]?.pending).toHaveLength(1);
  });

  it('history that overlaps live messages adds only what is missing, in seq order', () => {
    const state = run([
      loaded,
      { type: 'message_received', message: message(3, ADA), selfAccountId: ME },
      {
        type: 'history_loaded',
        chatId: CHAT,
        messages: [message(1, ADA), message(2, ME), message(3, ADA)],
        requested: 50,
        older: false,
      },
    ]);
    expect(timeline(state.messages[CHAT]).map((i) => (i.kind === 'message' ? i.message.seq : -1))).toEqual([
      1, 2, 3,
    ]);
    expect(state.messages[CHAT]?.hasOlder).toBe(false);
  });

  it('a live message moves the chat forward and counts as unread when from someone else', () => {
    const state = run([loaded, { type: 'message_received', message: message(1, ADA), selfAccountId: ME }]);
    const c = state.chats[CHAT]!;
    expect(c.lastSeq).toBe(1);
    expect(c.lastMessage?.text).toBe('text 1');
    expect(unreadCount(c, ME)).toBe(1);
  });

  it("this account's own message (from any of its devices) leaves nothing unread", () => {
    const state = run([
      loaded,
      { type: 'message_received', message: message(1, ADA), selfAccountId: ME },
      { type: 'message_received', message: message(2, ME), selfAccountId: ME },
    ]);
    expect(state.chats[CHAT]?.readSeq).toBe(2);
    expect(unreadCount(state.chats[CHAT]!, ME)).toBe(0);
  });

  it('marking read never moves the read position back', () => {
    const state = run([
      { type: 'chats_loaded', chats: [chat({ lastSeq: 5, readSeq: 4 })] },
      { type: 'read_marked', chatId: CHAT, seq: 5 },
      { type: 'read_marked', chatId: CHAT, seq: 3 },
    ]);
    expect(state.chats[CHAT]?.readSeq).toBe(5);
  });
});

describe('chat views', () => {
  it('a late or reordered chat view cannot take back a message, a delivery or a read', () => {
    const newer = chat({ lastSeq: 4, lastMessage: message(4, ME), othersDeliveredSeq: 4, othersReadSeq: 3 });
    const older = chat({ lastSeq: 2, lastMessage: message(2, ME), othersDeliveredSeq: 2, othersReadSeq: 1 });
    const merged = mergeChat(newer, older);
    expect(merged.lastSeq).toBe(4);
    expect(merged.lastMessage?.seq).toBe(4);
    expect(merged.othersDeliveredSeq).toBe(4);
    expect(merged.othersReadSeq).toBe(3);
  });

  it('receipts: ✓ sent, ✓✓ delivered, blue ✓✓ read', () => {
    const c = chat({ lastSeq: 3, othersDeliveredSeq: 2, othersReadSeq: 1 });
    expect(receiptFor(message(1, ME), c)).toBe('read');
    expect(receiptFor(message(2, ME), c)).toBe('delivered');
    expect(receiptFor(message(3, ME), c)).toBe('sent');
  });

  it('chats are sorted by their last message, newest first', () => {
    const a = chat({ id: 'chat-a-000001', lastMessage: message(1, ADA, { sentAt: 10 }) });
    const b = chat({ id: 'chat-b-000001', lastMessage: message(1, ADA, { sentAt: 20 }) });
    const state = run([{ type: 'chats_loaded', chats: [a, b] }]);
    expect(sortedChats(state).map((c) => c.id)).toEqual(['chat-b-000001', 'chat-a-000001']);
  });

  it('a failed first load shows an empty list; a failed refresh keeps the chats', () => {
    expect(run([{ type: 'chats_failed' }]).status).toBe('unavailable');
    const refreshed = run([loaded, { type: 'chats_failed' }]);
    expect(refreshed.status).toBe('ready');
    expect(Object.keys(refreshed.chats)).toEqual([CHAT]);
  });

  it('typing indicators expire, and a message from the typist clears it', () => {
    const typing = run([
      loaded,
      { type: 'typing_changed', chatId: CHAT, accountId: ADA, typing: true, until: 100 },
    ]);
    expect(typing.typing[CHAT]).toEqual({ [ADA]: 100 });
    expect(chatsReducer(typing, { type: 'typing_expired', now: 101 }).typing[CHAT]).toBeUndefined();
    const cleared = chatsReducer(typing, {
      type: 'message_received',
      message: message(1, ADA),
      selfAccountId: ME,
    });
    expect(cleared.typing[CHAT]).toEqual({});
  });
});
