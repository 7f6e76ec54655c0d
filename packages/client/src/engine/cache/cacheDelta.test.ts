import { describe, expect, it } from 'vitest';
import { emptyMessages, mergeMessages } from '../sync/chatMerge';
import { type ChatsState, initialChatsState } from '../sync/chatsReducer';
import { ADA, CHAT, chat, message, pending } from '../testing/chatFixtures';
import { cacheDelta } from './cacheDelta';

function stateWith(seqs: number[], extra: Partial<ChatsState> = {}): ChatsState {
  return {
    ...initialChatsState,
    chats: { [CHAT]: chat({ lastSeq: Math.max(0, ...seqs) }) },
    messages: {
      [CHAT]: mergeMessages(
        emptyMessages,
        seqs.map((s) => message(s, ADA)),
      ),
    },
    ...extra,
  };
}

describe('cache writes', () => {
  it('MSG-1 only what changed is written; the cursor goes with it', () => {
    const before = stateWith([1, 2]);
    const after = {
      ...before,
      cursor: 7,
      messages: { [CHAT]: mergeMessages(before.messages[CHAT] ?? emptyMessages, [message(3, ADA)]) },
    };
    const delta = cacheDelta(before, after, 200);
    expect(delta.putMessages.map((m) => m.seq)).toEqual([3]);
    expect(delta.putChats).toEqual([]);
    expect(delta.cursor).toBe(7);
    expect(delta.trims).toEqual([{ chatId: CHAT, belowSeq: 1 }]);
  });

  it('MSG-6 each chat keeps its newest messages only, with nothing older left behind', () => {
    const seqs = Array.from({ length: 10 }, (_, i) => i + 1);
    const delta = cacheDelta(initialChatsState, stateWith(seqs), 4);
    expect(delta.putMessages.map((m) => m.seq)).toEqual([10, 9, 8, 7]);
    expect(delta.trims).toEqual([{ chatId: CHAT, belowSeq: 7 }]);
    expect(delta.putChats.map((c) => c.id)).toEqual([CHAT]);
  });

  it('MSG-4 a chat that is gone is deleted with all its messages; pending messages are kept', () => {
    const before = stateWith([1]);
    const waiting = { ...emptyMessages, pending: [pending('p-1-abcdefg')] };
    const other = chat({ id: 'chat-other-0001' });
    const after: ChatsState = {
      ...initialChatsState,
      chats: { [other.id]: other },
      messages: { [other.id]: { ...waiting, pending: [pending('p-1-abcdefg', { chatId: other.id })] } },
    };
    const delta = cacheDelta(before, after, 200);
    expect(delta.deleteChats).toEqual([CHAT]);
    expect(delta.trims).toContainEqual({ chatId: CHAT, belowSeq: Number.POSITIVE_INFINITY });
    expect(delta.pending.map((p) => p.clientMsgId)).toEqual(['p-1-abcdefg']);
  });
});
