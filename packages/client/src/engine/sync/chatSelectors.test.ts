import { describe, expect, it } from 'vitest';
import { ADA, chat, message, pending } from '../testing/chatFixtures';
import { emptyMessages, mergeMessages } from './chatMerge';
import { latestPending, missingRanges, sortedChats } from './chatSelectors';
import { initialChatsState } from './chatsReducer';

const held = (...seqs: number[]) =>
  mergeMessages(
    emptyMessages,
    seqs.map((s) => message(s, ADA)),
  );

describe('missing messages', () => {
  it('MSG-1 nothing is missing when the held messages run without holes up to the last seq', () => {
    expect(missingRanges(held(3, 4, 5), 5, 50)).toEqual([]);
  });

  it('MSG-1 a hole left by a message delivered out of order, and the top, are asked for (newest first)', () => {
    expect(missingRanges(held(3, 5, 6), 9, 50)).toEqual([
      { beforeSeq: 10, limit: 3 },
      { beforeSeq: 5, limit: 1 },
    ]);
  });

  it('MSG-6 with nothing held, the newest page; a huge gap is asked for 200 at a time', () => {
    expect(missingRanges(undefined, 120, 50)).toEqual([{ beforeSeq: 121, limit: 50 }]);
    expect(missingRanges(undefined, 0, 50)).toEqual([]);
    expect(missingRanges(held(1), 1000, 50)).toEqual([{ beforeSeq: 1001, limit: 200 }]);
  });
});

describe('pending messages in the chat list', () => {
  it('MSG-2 the newest pending message is the preview, and it moves its chat to the top', () => {
    const quiet = chat({ id: 'chat-quiet-0001', lastMessage: message(1, ADA, { sentAt: 10 }) });
    const busy = chat({ id: 'chat-busy-00001', lastMessage: message(1, ADA, { sentAt: 20 }) });
    const waiting = {
      ...emptyMessages,
      pending: [pending('p-1-abcdefg', { createdAt: 30, chatId: quiet.id })],
    };
    const state = {
      ...initialChatsState,
      chats: { [quiet.id]: quiet, [busy.id]: busy },
      messages: { [quiet.id]: waiting },
    };
    expect(sortedChats(state).map((c) => c.id)).toEqual([quiet.id, busy.id]);
    expect(latestPending(waiting)?.clientMsgId).toBe('p-1-abcdefg');
    expect(latestPending(state.messages[busy.id])).toBeNull();
  });
});
