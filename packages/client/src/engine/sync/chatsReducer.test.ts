import type { MessageView } from '@latch/protocol';
import { describe, expect, it } from 'vitest';
import { ADA, CHAT, chat, ME, message, pending } from '../testing/chatFixtures';
import { hasOlderMessages, receiptFor, sortedChats, timeline, unreadCount } from './chatSelectors';
import {
  type ChatsAction,
  type ChatsState,
  chatsReducer,
  initialChatsState,
  mergeChat,
  seededChatsState,
} from './chatsReducer';

function run(actions: ChatsAction[], from: ChatsState = initialChatsState): ChatsState {
  return actions.reduce(chatsReducer, from);
}

const loaded: ChatsAction = { type: 'chats_loaded', chats: [chat()] };

describe('messages', () => {
  it('MSG-1 a message that arrives as the send result and as a live event is shown once', () => {
    const m = message(1, ME);
    const state = run([
      loaded,
      { type: 'message_received', message: m, selfAccountId: ME },
      { type: 'message_received', message: m, selfAccountId: ME },
    ]);
    expect(timeline(state.messages[CHAT])).toHaveLength(1);
  });

  it('MSG-1 a pending message is replaced by its confirmation, matched by clientMsgId', () => {
    const pending = {
      clientMsgId: 'client-msg-1',
      chatId: CHAT,
      text: 'hello',
      createdAt: 1,
      status: 'pending' as const,
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

  it('MSG-2 queuing the same clientMsgId twice keeps one pending copy', () => {
    const pending = {
      clientMsgId: 'c-1-abcdef',
      chatId: CHAT,
      text: 'x',
      createdAt: 1,
      status: 'pending' as const,
    };
    const state = run([
      { type: 'message_queued', pending },
      { type: 'message_queued', pending },
    ]);
    expect(state.messages[CHAT]?.pending).toHaveLength(1);
  });

  it('MSG-1 history that overlaps live messages adds only what is missing, in seq order', () => {
    const state = run([
      loaded,
      { type: 'message_received', message: message(3, ADA), selfAccountId: ME },
      {
        type: 'history_loaded',
        chatId: CHAT,
        messages: [message(1, ADA), message(2, ME), message(3, ADA)],
        older: false,
      },
    ]);
    expect(timeline(state.messages[CHAT]).map((i) => (i.kind === 'message' ? i.message.seq : -1))).toEqual([
      1, 2, 3,
    ]);
    expect(hasOlderMessages(state.messages[CHAT])).toBe(false);
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

  it('MSG-3 marking read never moves the read position back', () => {
    const state = run([
      { type: 'chats_loaded', chats: [chat({ lastSeq: 5, readSeq: 4 })] },
      { type: 'read_marked', chatId: CHAT, seq: 5 },
      { type: 'read_marked', chatId: CHAT, seq: 3 },
    ]);
    expect(state.chats[CHAT]?.readSeq).toBe(5);
  });
});

describe('chat views', () => {
  it('MSG-3 a late or reordered chat view cannot take back a message, a delivery or a read', () => {
    const newer = chat({ lastSeq: 4, lastMessage: message(4, ME), othersDeliveredSeq: 4, othersReadSeq: 3 });
    const older = chat({ lastSeq: 2, lastMessage: message(2, ME), othersDeliveredSeq: 2, othersReadSeq: 1 });
    const merged = mergeChat(newer, older);
    expect(merged.lastSeq).toBe(4);
    expect(merged.lastMessage?.seq).toBe(4);
    expect(merged.othersDeliveredSeq).toBe(4);
    expect(merged.othersReadSeq).toBe(3);
  });

  it('MSG-3 a receipts frame moves the ticks forward and a late one cannot move them back', () => {
    const receipts = (seqs: { readSeq: number; othersReadSeq: number; othersDeliveredSeq: number }) =>
      ({ type: 'receipts_moved', receipts: { type: 'receipts', chatId: CHAT, ...seqs } }) as const;
    const state = run([
      { type: 'chats_loaded', chats: [chat({ lastSeq: 3, readSeq: 1 })] },
      receipts({ readSeq: 3, othersReadSeq: 1, othersDeliveredSeq: 3 }),
      receipts({ readSeq: 2, othersReadSeq: 0, othersDeliveredSeq: 2 }),
    ]);
    const c = state.chats[CHAT]!;
    expect([c.readSeq, c.othersReadSeq, c.othersDeliveredSeq]).toEqual([3, 1, 3]);
    expect(receiptFor(message(1, ME), c)).toBe('read');
    expect(receiptFor(message(3, ME), c)).toBe('delivered');
    expect(unreadCount(c, ME)).toBe(0);
    // Receipts for a chat not held yet are ignored (the list is loaded with them included).
    expect(run([receipts({ readSeq: 1, othersReadSeq: 1, othersDeliveredSeq: 1 })]).chats).toEqual({});
  });

  it('MSG-3 receipts: ✓ sent, ✓✓ delivered, blue ✓✓ read', () => {
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

describe('catching up (MSG-1)', () => {
  const page = (run: number, messages: MessageView[], nextAfterId: number) =>
    ({
      type: 'sync_page',
      run,
      messages,
      nextAfterId,
      selfAccountId: ME,
      keep: 100,
      openChatId: null,
    }) as const;

  it('MSG-1 sync pages and live frames merge by (chat, seq): nothing twice, in order', () => {
    const state = run([
      loaded,
      { type: 'connected' },
      page(1, [message(1, ADA), message(2, ADA)], 12),
      { type: 'message_received', message: message(2, ADA), selfAccountId: ME, syncId: 12 },
      page(1, [message(3, ME)], 13),
      { type: 'caught_up', run: 1 },
    ]);
    expect(timeline(state.messages[CHAT]).map((i) => i.key)).toEqual(['s1', 's2', 's3']);
    expect(state.cursor).toBe(13);
    expect(state.chats[CHAT]?.lastSeq).toBe(3);
    expect(state.catchUp).toEqual({ kind: 'live' });
  });

  it('MSG-1 a live frame during a catch-up does not move the cursor past messages not yet synced', () => {
    const state = run([
      loaded,
      { type: 'connected' },
      page(1, [message(1, ADA)], 11),
      { type: 'message_received', message: message(5, ADA), selfAccountId: ME, syncId: 15 },
    ]);
    expect(state.cursor).toBe(11);
    const live = run(
      [
        { type: 'caught_up', run: 1 },
        { type: 'message_received', message: message(6, ADA), selfAccountId: ME, syncId: 16 },
      ],
      state,
    );
    expect(live.cursor).toBe(16);
  });

  it('MSG-1 a send result (no syncId) never moves the cursor', () => {
    const state = run([
      loaded,
      { type: 'connected' },
      { type: 'caught_up', run: 1 },
      { type: 'message_received', message: message(1, ME), selfAccountId: ME },
    ]);
    expect(state.cursor).toBe(0);
  });

  it('MSG-1 pages of an abandoned catch-up (the connection dropped and came back) are ignored', () => {
    const state = run([
      loaded,
      { type: 'connected' },
      { type: 'disconnected' },
      { type: 'connected' },
      page(1, [message(1, ADA)], 99),
      { type: 'caught_up', run: 1 },
    ]);
    expect(state.cursor).toBe(0);
    expect(state.catchUp).toEqual({ kind: 'running', run: 2 });
  });

  it('MSG-6 a long catch-up keeps only the newest messages of chats that are not open', () => {
    const many = Array.from({ length: 150 }, (_, i) => message(i + 1, ADA));
    const closed = run([loaded, { type: 'connected' }, page(1, many, 150)]);
    expect(Object.keys(closed.messages[CHAT]?.bySeq ?? {})).toHaveLength(100);
    expect(hasOlderMessages(closed.messages[CHAT])).toBe(true);
    const open = run([loaded, { type: 'connected' }, { ...page(1, many, 150), openChatId: CHAT }]);
    expect(Object.keys(open.messages[CHAT]?.bySeq ?? {})).toHaveLength(150);
  });

  it('MSG-4 chat.removed drops the chat and everything held for it', () => {
    const state = run([
      loaded,
      { type: 'message_received', message: message(1, ADA), selfAccountId: ME },
      { type: 'chat_removed', chatId: CHAT },
    ]);
    expect(state.chats[CHAT]).toBeUndefined();
    expect(state.messages[CHAT]).toBeUndefined();
  });

  it('MSG-6 paging older messages: one request at a time, merged below what is held', () => {
    const state = run([
      loaded,
      { type: 'history_loaded', chatId: CHAT, messages: [message(51, ADA), message(52, ADA)], older: false },
      { type: 'older_requested', chatId: CHAT },
    ]);
    expect(state.messages[CHAT]?.loadingOlder).toBe(true);
    const older = Array.from({ length: 50 }, (_, i) => message(i + 1, ADA));
    const after = chatsReducer(state, { type: 'history_loaded', chatId: CHAT, messages: older, older: true });
    expect(after.messages[CHAT]?.loadingOlder).toBe(false);
    expect(timeline(after.messages[CHAT])).toHaveLength(52);
    expect(hasOlderMessages(after.messages[CHAT])).toBe(false);
  });
});

describe('a reopened tab', () => {
  it('MSG-1 starts from the cache: chats, messages, pending and the cursor', () => {
    const state = seededChatsState({
      chats: [chat({ lastSeq: 2 })],
      messages: [message(1, ADA), message(2, ME)],
      pending: [pending('client-pending-1')],
      cursor: 42,
    });
    expect(state.status).toBe('ready');
    expect(state.cursor).toBe(42);
    expect(timeline(state.messages[CHAT]).map((i) => i.kind)).toEqual(['message', 'message', 'pending']);
    expect(state.catchUp).toEqual({ kind: 'offline' });
  });
});
