import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { emptyMessages, mergeMessages } from '../sync/chatMerge';
import { type ChatsState, initialChatsState } from '../sync/chatsReducer';
import { ADA, CHAT, chat, message, pending } from '../testing/chatFixtures';
import { cacheDelta } from './cacheDelta';
import { IndexedDbCache } from './indexedDbCache';

const KEY = `B${'A'.repeat(86)}`;

function state(seqs: number[]): ChatsState {
  return {
    ...initialChatsState,
    cursor: 42,
    chats: { [CHAT]: chat({ lastSeq: Math.max(0, ...seqs) }) },
    messages: {
      [CHAT]: {
        ...mergeMessages(
          emptyMessages,
          seqs.map((s) => message(s, ADA)),
        ),
        pending: [pending('client-pending-01')],
      },
    },
  };
}

describe('IndexedDB cache (ENG-10)', () => {
  it('ENG-10 what one tab wrote, the next one reads back, validated; logout deletes the database', async () => {
    const name = `latch-test-${Math.random()}`;
    const first = new IndexedDbCache(name, KEY);
    expect(await first.load()).toBeNull();
    await first.write(cacheDelta(initialChatsState, state([1, 2, 3]), 2), null);
    first.close();

    const second = new IndexedDbCache(name, KEY);
    const snapshot = await second.load();
    expect(snapshot?.chats.map((c) => c.id)).toEqual([CHAT]);
    expect(snapshot?.messages.map((m) => m.seq).sort()).toEqual([2, 3]);
    expect(snapshot?.pending.map((p) => p.clientMsgId)).toEqual(['client-pending-01']);
    expect(snapshot?.cursor).toBe(42);

    await second.destroy();
    expect(await new IndexedDbCache(name, KEY).load()).toBeNull();
  });

  it('ENG-10 a database written for another device key is emptied, not shown', async () => {
    const name = `latch-test-${Math.random()}`;
    const mine = new IndexedDbCache(name, KEY);
    await mine.load();
    await mine.write(cacheDelta(initialChatsState, state([1]), 10), null);
    mine.close();
    const other = new IndexedDbCache(name, `B${'C'.repeat(85)}A`);
    expect(await other.load()).toBeNull();
    other.close();
    expect(await new IndexedDbCache(name, KEY).load()).toBeNull();
  });
});
