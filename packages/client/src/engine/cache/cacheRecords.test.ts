import { describe, expect, it } from 'vitest';
import { ADA, CHAT, chat, message, pending } from '../testing/chatFixtures';
import { CACHE_VERSION, parseCache } from './cacheRecords';

const KEY = `B${'A'.repeat(86)}`;
const OTHER_KEY = `B${'Q'.repeat(86)}`;

function meta(overrides: Record<string, unknown> = {}) {
  return {
    version: CACHE_VERSION,
    devicePublicKey: KEY,
    account: null,
    deviceId: null,
    cursor: 5,
    pending: [pending('p-1-abcdefg')],
    ...overrides,
  };
}

describe('reading the cache back', () => {
  it('MSG-1 valid records come back as the seed of the reducer', () => {
    const snapshot = parseCache({ meta: meta(), chats: [chat()], messages: [message(1, ADA)] }, KEY);
    expect(snapshot?.cursor).toBe(5);
    expect(snapshot?.chats.map((c) => c.id)).toEqual([CHAT]);
    expect(snapshot?.messages.map((m) => m.seq)).toEqual([1]);
    expect(snapshot?.pending).toHaveLength(1);
    expect(snapshot?.identity).toBeNull();
  });

  it('MSG-7 malformed records are skipped, never cast: a bad message, a message of an unknown chat', () => {
    const snapshot = parseCache(
      {
        meta: meta(),
        chats: [chat(), { id: 'x' }],
        messages: [
          message(1, ADA),
          { ...message(2, ADA), seq: 'two' },
          message(3, ADA, { chatId: 'chat-unknown-01' }),
        ],
      },
      KEY,
    );
    expect(snapshot?.chats).toHaveLength(1);
    expect(snapshot?.messages.map((m) => m.seq)).toEqual([1]);
  });

  it('MSG-7 a cache of another device key, an older version, or no meta record is not used', () => {
    const raw = { chats: [chat()], messages: [] };
    expect(parseCache({ ...raw, meta: meta() }, OTHER_KEY)).toBeNull();
    expect(parseCache({ ...raw, meta: meta({ version: 0 }) }, KEY)).toBeNull();
    expect(parseCache({ ...raw, meta: undefined }, KEY)).toBeNull();
  });
});
