import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkMessageText, outboxQueue } from './outbox';
import { timeline } from './sync/chatSelectors';
import { ADA, directChat, harness, settle } from './testing/engineHarness';
import { RpcRefusal } from './testing/fakeLatchServer';

const CHAT = 'chat-with-ada-01';
const OTHER = 'chat-with-bob-01';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function sentTexts(h: ReturnType<typeof harness>): string[] {
  return h.server.requests
    .filter((r) => r.method === 'messages.send')
    .map((r) => (r.params as { text: string }).text);
}

describe('outbox (ENG-9)', () => {
  it('ENG-9 messages written offline wait as pending, survive in the cache, and go in order on reconnect', async () => {
    const h = harness();
    h.server.addChat(directChat(CHAT));
    h.server.addChat({ ...directChat(OTHER), title: 'Bob' });
    await h.engine.start();
    await settle();
    h.network.set(false);
    h.server.live!.drop(1006);
    await settle();
    expect(h.engine.getSnapshot().connection.kind).toBe('offline');
    for (const [chat, text] of [
      [CHAT, 'one'],
      [OTHER, 'two'],
      [CHAT, 'three'],
    ] as const) {
      h.engine.send(chat, text);
      vi.advanceTimersByTime(1);
    }
    await settle();
    const queued = outboxQueue(h.engine.getSnapshot().chats);
    expect(queued.map((p) => [p.text, p.status])).toEqual([
      ['one', 'pending'],
      ['two', 'pending'],
      ['three', 'pending'],
    ]);
    // Persisted at once, without waiting for the batched write.
    expect((await h.cache.load())?.pending.map((p) => p.text)).toEqual(['one', 'two', 'three']);
    expect(sentTexts(h)).toEqual([]);
    h.network.set(true);
    await settle();
    expect(sentTexts(h)).toEqual(['one', 'two', 'three']);
    expect(outboxQueue(h.engine.getSnapshot().chats)).toEqual([]);
    const items = timeline(h.engine.getSnapshot().chats.messages[CHAT]);
    expect(items.map((i) => (i.kind === 'message' ? i.message.text : `pending ${i.pending.text}`))).toEqual([
      'one',
      'three',
    ]);
  });

  it('ENG-9 an answer lost with the connection: the catch-up confirms the message, nothing is sent twice', async () => {
    const h = harness();
    h.server.addChat(directChat(CHAT));
    await h.engine.start();
    await settle();
    // The server stores the message, then the connection dies before the answer leaves.
    h.server.handlers.set('messages.send', (p, conn) => {
      const stored = h.server.defaultAnswer('messages.send', p);
      conn.frozen = true;
      return stored;
    });
    h.engine.send(CHAT, 'hello');
    await settle();
    h.server.handlers.delete('messages.send');
    await vi.advanceTimersByTimeAsync(5_000); // heartbeat notices the dead socket
    await vi.advanceTimersByTimeAsync(375);
    await settle();
    expect(h.engine.getSnapshot().connection.kind).toBe('ready');
    const stored = h.server.chats.get(CHAT)!.messages;
    expect(stored.map((m) => m.text)).toEqual(['hello']);
    expect(h.server.requests.filter((r) => r.method === 'messages.send')).toHaveLength(1);
    expect(timeline(h.engine.getSnapshot().chats.messages[CHAT]).map((i) => i.kind)).toEqual(['message']);
  });

  it('ENG-9 a send that got no answer is sent again with the same clientMsgId, never as a new message', async () => {
    const h = harness();
    h.server.addChat(directChat(CHAT));
    await h.engine.start();
    await settle();
    // The first attempt never reaches the server's store (its socket dies on the way).
    h.server.handlers.set('messages.send', (_p, conn) => {
      conn.frozen = true;
      return new Promise(() => undefined);
    });
    h.engine.send(CHAT, 'hello');
    await settle();
    h.server.handlers.delete('messages.send');
    await vi.advanceTimersByTimeAsync(5_375);
    await settle();
    const sends = h.server.requests.filter((r) => r.method === 'messages.send');
    expect(sends).toHaveLength(2);
    expect(sends[0]?.params).toEqual(sends[1]?.params);
    expect(h.server.chats.get(CHAT)!.messages).toHaveLength(1);
    expect(outboxQueue(h.engine.getSnapshot().chats)).toEqual([]);
  });

  it('ENG-9 a refused message is failed, the next one still goes, and a retry sends it again', async () => {
    const h = harness();
    h.server.addChat(directChat(CHAT));
    await h.engine.start();
    await settle();
    h.server.handlers.set('messages.send', () => {
      throw new RpcRefusal({ code: 'not_member', message: 'You are not in this chat.' });
    });
    const refused = h.engine.send(CHAT, 'refused');
    await settle();
    h.server.handlers.delete('messages.send');
    h.engine.send(CHAT, 'accepted');
    await settle();
    const pending = h.engine.getSnapshot().chats.messages[CHAT]?.pending ?? [];
    expect(pending.map((p) => [p.text, p.status])).toEqual([['refused', 'failed']]);
    expect(typeof refused === 'object' && refused.clientMsgId).toBeTruthy();
    if (typeof refused !== 'object') return;
    h.engine.retry(CHAT, refused.clientMsgId);
    await settle();
    expect(h.engine.getSnapshot().chats.messages[CHAT]?.pending).toEqual([]);
    expect(h.server.chats.get(CHAT)!.messages.map((m) => m.text)).toEqual(['accepted', 'refused']);
  });

  it('ENG-9 MSG-7 empty and over-long texts are refused before anything is queued', () => {
    expect(checkMessageText('  \n')).toBe('empty');
    expect(checkMessageText('x'.repeat(4096))).toBeNull();
    expect(checkMessageText('x'.repeat(4097))).toBe('too_long');
    const h = harness();
    expect(h.engine.send(CHAT, '')).toBe('empty');
    expect(outboxQueue(h.engine.getSnapshot().chats)).toEqual([]);
  });

  it('ENG-9 a message from another device of this account never enters the outbox', async () => {
    const h = harness();
    h.server.addChat(directChat(CHAT));
    await h.engine.start();
    await settle();
    h.server.store(CHAT, ADA, 'from Ada');
    await settle();
    expect(outboxQueue(h.engine.getSnapshot().chats)).toEqual([]);
    expect(sentTexts(h)).toEqual([]);
  });
});
